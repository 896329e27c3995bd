import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeParameters, IWorkflowBase } from 'n8n-workflow';
import { NodeHelpers, Workflow } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { configuredOutputs } from '../../nodes/TicketRouter/outputs';
import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { runWorkflow } from '../harness/workflow';
import byDestination from './fixtures/router-by-destination.json';
import byKind from './fixtures/router-by-kind.json';

type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'>;
const ROUTER = 'Ticket Router';
let scopes = 0;

/** The fixture with router parameters changed and, unless given, a scope of its own (tests share the process ledger). */
function router(fixture: unknown, params: INodeParameters = {}, policyChange: (p: IDataObject) => void = () => {}): WorkflowJson {
	const workflow = structuredClone(fixture) as WorkflowJson;
	const node = workflow.nodes.find((n) => n.name === ROUTER)!;
	const policy = JSON.parse(node.parameters.policyJson as string);
	policy.scope = `wf-${process.pid}-${++scopes}`;
	policyChange(policy);
	node.parameters = { ...node.parameters, policyJson: JSON.stringify(policy), ...params };
	return workflow;
}

function onError(workflow: WorkflowJson, mode: 'continueRegularOutput' | 'stopWorkflow') {
	workflow.nodes.find((n) => n.name === ROUTER)!.onError = mode;
	return workflow;
}

const tickets: IDataObject[] = [
	{ id: 101, subject: 'Chargeback on my card', customer: { tier: 'pro', region: 'EU' } },
	{ id: 102, subject: 'Where is my parcel?', customer: { region: 'eu' } },
	{ id: 103, subject: 'Refund please', customer: { tier: 'VIP', region: 'eu' } },
	{ id: 104, subject: 'Webhook not firing', body: 'our API key rotated', tags: 'integration' },
	{ id: 105, subject: '注文について', language: 'JA' },
	{ id: 106, subject: 'Account hacked', tags: ['Security'] },
];

const destinations = (run: Awaited<ReturnType<typeof runWorkflow>>, output: number) =>
	run.output(ROUTER, output).map((item) => [item.json.id, (item.json.delegation as IDataObject).destination]);

describe('Ticket Router in a workflow', () => {
	it('routes each ticket to Internal or External with its delegation and pairing', async () => {
		const run = await runWorkflow(router(byKind), { items: tickets, executionId: 'exec-1' });
		expect(run.status).toBe('success');
		expect(destinations(run, 0)).toEqual([
			[102, 'team'],
			[103, 'team'],
			[106, 'trust'],
		]);
		expect(destinations(run, 1)).toEqual([
			[101, 'billing-experts'],
			[104, 'api-guild'],
			[105, 'nihongo'],
		]);
		const [chargeback] = run.output(ROUTER, 1);
		expect(chargeback.pairedItem).toEqual({ item: 0 });
		expect(chargeback.json).toMatchObject({ id: 101, subject: 'Chargeback on my card', customer: { tier: 'pro', region: 'EU' } });
		expect(chargeback.json.delegation).toMatchObject({
			ticketId: '101',
			destination: 'billing-experts',
			destinationName: 'Billing Experts',
			kind: 'external',
			vendor: 'billing-experts',
			contract: 'specialist',
			reason: 'specialist',
			ruleId: 'billing',
			ruleName: 'Billing disputes',
			matched: ['keyword:chargeback'],
			guardrail: null,
			costEstimate: 6.5,
			ledger: 'recorded',
			customerRegion: 'eu',
			vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id', 'subject'] },
		});
		expect((chargeback.json.delegation as IDataObject).policyVersion).toMatch(/^[0-9a-f]{12}$/);
		const internal = run.output(ROUTER, 0);
		expect(internal.map((i) => i.pairedItem)).toEqual([{ item: 1 }, { item: 2 }, { item: 5 }]);
		expect(internal[1].json.delegation).toMatchObject({ reason: 'keepInternal', ruleId: 'vip', matched: ['tier:vip'], vendor: null, vendorTerms: null });
	});

	it('has one output per destination in policy order when asked', async () => {
		const workflow = router(byDestination);
		const run = await runWorkflow(workflow, { items: tickets });
		expect(run.outputs(ROUTER).map((items) => items.map((i) => i.json.id))).toEqual([[102, 103], [106], [101], [104], [105]]);
		// The editor draws the same outputs: n8n evaluates the node's outputs expression from its parameters.
		const description = new TicketRouter().description;
		const live = new Workflow({ nodes: workflow.nodes, connections: workflow.connections, active: false, nodeTypes: { getByName: () => new TicketRouter(), getByNameAndVersion: () => new TicketRouter(), getKnownTypes: () => ({}) } });
		const outputs = NodeHelpers.getNodeOutputs(live, live.getNode(ROUTER)!, description) as Array<{ displayName: string }>;
		expect(outputs.map((o) => o.displayName)).toEqual(['Support team', 'Trust & Safety', 'Billing Experts', 'API Guild', 'Nihongo Support']);
		expect(configuredOutputs(router(byKind).nodes[1].parameters).map((o) => o.displayName)).toEqual(['Internal', 'External']);
		expect(configuredOutputs({ outputMode: 'destination', policySource: 'json', policyJson: '{ not json' })).toHaveLength(2);
	});

	it('applies guardrails across the batch and says why it diverted', async () => {
		const run = await runWorkflow(router(byKind), {
			items: [1, 2, 3, 4].map((n) => ({ id: `cb-${n}`, subject: 'chargeback', customer: { region: 'eu' } })).concat([{ id: 'cb-us', subject: 'refund', customer: { region: 'us' } }]),
		});
		expect(run.output(ROUTER, 1)).toHaveLength(3);
		const diverted = run.output(ROUTER, 0).map((i) => i.json.delegation as IDataObject);
		expect(diverted.map((d) => [d.ticketId, (d.guardrail as IDataObject).name, (d.guardrail as IDataObject).wanted])).toEqual([
			['cb-4', 'capacityPerHour', 'billing-experts'],
			['cb-us', 'dataRegion', 'billing-experts'],
		]);
	});

	it('is idempotent against the ledger: a re-run returns the recorded decisions; re-route decides again', async () => {
		const workflow = router(byKind);
		const items = [{ id: 'idem-1', subject: 'refund', customer: { region: 'eu' } }];
		const dry = await runWorkflow(workflow, { items: items.map((i) => ({ ...i, subject: 'hello' })), ...{} });
		expect(dry.output(ROUTER, 0)[0].json.delegation).toMatchObject({ ledger: 'recorded', destination: 'team' });
		// That run recorded idem-1 as internal: the open decision stands even though the ticket changed.
		const again = await runWorkflow(workflow, { items });
		const existing = again.output(ROUTER, 0)[0].json.delegation as IDataObject;
		expect(existing).toMatchObject({ ledger: 'existing', destination: 'team', decisionId: (dry.output(ROUTER, 0)[0].json.delegation as IDataObject).decisionId });
		const reroute = structuredClone(workflow);
		reroute.nodes[1].parameters.options = { reroute: true };
		const rerouted = await runWorkflow(reroute, { items });
		expect(rerouted.output(ROUTER, 1)[0].json.delegation).toMatchObject({ ledger: 'recorded', destination: 'billing-experts', previousDecisionId: existing.decisionId });
	});

	it('records nothing on a dry run', async () => {
		const workflow = router(byKind, { options: { dryRun: true } });
		const items = [{ id: 'dry-1', subject: 'webhook' }];
		const first = await runWorkflow(workflow, { items });
		expect(first.output(ROUTER, 1)[0].json.delegation).toMatchObject({ ledger: 'dry-run', destination: 'api-guild' });
		workflow.nodes[1].parameters.options = {};
		const real = await runWorkflow(workflow, { items });
		expect(real.output(ROUTER, 1)[0].json.delegation).toMatchObject({ ledger: 'recorded' });
	});

	it('fails an item without an id, naming it; Continue On Fail passes it on with its error', async () => {
		const items = [{ id: 'ok-1', subject: 'hi' }, { subject: 'no id here' }, { id: 'ok-2', subject: 'webhook' }];
		const failing = await runWorkflow(router(byKind), { items });
		expect(failing.status).toBe('error');
		expect(failing.error(ROUTER)?.message).toBe('Item 1: ticket has no id at "id"');
		expect((failing.error(ROUTER) as unknown as { context: IDataObject }).context.itemIndex).toBe(1);

		const continuing = await runWorkflow(onError(router(byKind), 'continueRegularOutput'), { items });
		expect(continuing.status).toBe('success');
		const internal = continuing.output(ROUTER, 0);
		expect(internal.map((i) => [i.json.id ?? null, i.json.error ?? null, i.pairedItem])).toEqual([
			['ok-1', null, { item: 0 }],
			[null, 'Item 1: ticket has no id at "id"', { item: 1 }],
		]);
		expect(continuing.output(ROUTER, 1).map((i) => i.json.id)).toEqual(['ok-2']);
	});

	it('emits every item once, in input order within its output and paired with its input, around failed and repeated tickets; the ledger holds one decision per ticket', async () => {
		const ledgerFile = join(mkdtempSync(join(tmpdir(), 'router-order-')), 'ledger.sqlite');
		const workflow = onError(router(byKind, { ledgerFile }), 'continueRegularOutput');
		const items: IDataObject[] = [
			{ id: 201, subject: 'Chargeback on my card', customer: { region: 'eu' } },
			{ id: 202, subject: 'Where is my parcel?', tags: ['security'] },
			{ subject: 'no id here' },
			{ id: 201, subject: 'Chargeback, again', customer: { region: 'eu' } },
			{ id: 204, subject: 'Webhook not firing', body: 'our API key rotated' },
			{ id: 'x'.repeat(256), subject: 'an id longer than a ledger holds' },
			{ id: 206, subject: 'Where is my parcel?', tags: [' Security '] },
			{ id: 207, subject: 'Where is my parcel?' },
		];
		const run = await runWorkflow(workflow, { items });
		expect(run.status).toBe('success');
		const seen = (output: number) =>
			run.output(ROUTER, output).map((i) => [(i.pairedItem as { item: number }).item, (i.json.delegation as IDataObject | undefined)?.destination ?? i.json.error]);
		// Security tags go to trust whether the list arrives as labels or needs trimming and lower-casing; the failed
		// items follow the routed ones on the internal output, in input order.
		expect(seen(0)).toEqual([
			[1, 'trust'],
			[6, 'trust'],
			[7, 'team'],
			[2, 'Item 2: ticket has no id at "id"'],
			[5, expect.stringMatching(/^Item 5: ticket id at "id" /)],
		]);
		expect(seen(1)).toEqual([
			[0, 'billing-experts'],
			[3, 'billing-experts'],
			[4, 'api-guild'],
		]);
		for (const item of run.outputs(ROUTER).flat()) expect(item.json).toMatchObject(items[(item.pairedItem as { item: number }).item]);
		const decisionOf = (output: number, k: number) => (run.output(ROUTER, output)[k].json.delegation as IDataObject).decisionId as string;
		// The repeated ticket carries its first occurrence's decision, recorded once.
		expect(decisionOf(1, 1)).toBe(decisionOf(1, 0));
		const ledger = await SqliteLedger.open(ledgerFile);
		try {
			const scope = JSON.parse(workflow.nodes[1].parameters.policyJson as string).scope;
			const recorded = (await ledger.list({ scope })).rows;
			expect(recorded.map((r) => r.ticketId).sort()).toEqual(['201', '202', '204', '206', '207']);
			expect(Object.fromEntries(recorded.map((r) => [r.ticketId, r.id]))).toEqual({
				'201': decisionOf(1, 0),
				'202': decisionOf(0, 0),
				'204': decisionOf(1, 2),
				'206': decisionOf(0, 1),
				'207': decisionOf(0, 2),
			});
		} finally {
			await ledger.close();
		}
	});

	it('sends an unroutable item to the internal fallback queue in per-destination mode, never to a vendor', async () => {
		// Vendors listed first: output 0 is an external vendor, so "the first output" would leak the item.
		const workflow = onError(
			router(byDestination, {}, (p) => {
				const destinations = p.destinations as IDataObject[];
				p.destinations = [...destinations.filter((d) => d.kind === 'external'), ...destinations.filter((d) => d.kind === 'internal')];
			}),
			'continueRegularOutput',
		);
		const run = await runWorkflow(workflow, { items: [{ subject: 'no id here' }] });
		expect(run.status).toBe('success');
		const outputs = run.outputs(ROUTER);
		expect(outputs.map((items) => items.length)).toEqual([0, 0, 0, 1, 0]);
		expect(outputs[3][0]).toMatchObject({ json: { error: 'Item 0: ticket has no id at "id"' }, pairedItem: { item: 0 } });
	});

	it('fails on a bad policy before routing anything, naming the path', async () => {
		const workflow = router(byKind, {}, (p) => {
			(p.rules as IDataObject[])[2].target = 'acme';
		});
		const run = await runWorkflow(onError(workflow, 'continueRegularOutput'), { items: [{ id: 'bad-1' }] });
		expect(run.status).toBe('error');
		// Named as the editor shows it (third rule, by its name), with the JSON path and the valid ids; said once.
		expect(run.error(ROUTER)?.message).toBe(
			'Invalid policy: Rule 3 "Billing disputes" › target (rules[2].target): unknown destination "acme" (destinations: team, trust, billing-experts, api-guild, nihongo)',
		);
		expect((run.error(ROUTER) as unknown as { description?: string }).description ?? '').not.toContain('acme');
	});

	it('matches keywords script by script in the node; a keyword that can never match fails the policy by place', async () => {
		const workflow = router(byKind, {}, (p) => {
			const [, , billing, api] = p.rules as IDataObject[];
			billing.when = { keywords: ['カード', '$100', 'बिल'] };
			api.when = { keywords: ['c++', 'api'] };
			delete (p.destinations as IDataObject[])[2].capacityPerHour;
		});
		const run = await runWorkflow(workflow, {
			items: [
				{ id: 'ja-cart', subject: 'カートが壊れた' },
				{ id: 'ja-card', subject: 'ｶｰﾄﾞが使えない' },
				{ id: 'hi-bill', subject: 'मेरा बिल गलत है' },
				{ id: 'hi-bal', subject: 'बल' },
				{ id: 'en-plan-c', subject: 'Plan C pricing' },
				{ id: 'ja-api', subject: 'APIが500を返します' },
				{ id: 'en-agents', subject: '100 agents online' },
				{ id: 'en-charged', body: 'I was charged $100 twice' },
			].map((ticket) => ({ ...ticket, customer: { region: 'eu' } })),
		});
		expect(run.status).toBe('success');
		// Card (ド) is not cart (ト), बिल is not बल, c++ is not the letter C, $100 is not the number 100.
		expect(destinations(run, 0)).toEqual([
			['ja-cart', 'team'],
			['hi-bal', 'team'],
			['en-plan-c', 'team'],
			['en-agents', 'team'],
		]);
		expect(run.output(ROUTER, 1).map((item) => [item.json.id, (item.json.delegation as IDataObject).matched])).toEqual([
			['ja-card', ['keyword:カード']],
			['hi-bill', ['keyword:बिल']],
			['ja-api', ['keyword:api']],
			['en-charged', ['keyword:$100']],
		]);

		const dead = router(byKind, {}, (p) => {
			(p.rules as IDataObject[])[2].when = { keywords: ['refund', '🔥'] };
		});
		const failed = await runWorkflow(dead, { items: [{ id: 'dead-1' }] });
		expect(failed.status).toBe('error');
		expect(failed.error(ROUTER)?.message).toBe(
			'Invalid policy: Rule 3 "Billing disputes" › when.keywords[1] (rules[2].when.keywords[1]): keyword "🔥" can never match: it needs a letter or digit (emoji, symbols and punctuation alone are not searchable)',
		);
	});

	it('lists every problem once in the details when there are several', async () => {
		const workflow = router(byKind, {}, (p) => {
			(p.rules as IDataObject[])[2].target = 'acme';
			(p.destinations as IDataObject[])[2].maxShare = 2;
		});
		const run = await runWorkflow(workflow, { items: [{ id: 'bad-2' }] });
		const error = run.error(ROUTER) as unknown as { message: string; description: string };
		expect(error.message).toBe('Invalid policy: Destination 3 "Billing Experts" › maxShare (destinations[2].maxShare): must be between 0 and 1 (and 1 more)');
		expect(error.description.split('\n')).toEqual([
			'Destination 3 "Billing Experts" › maxShare (destinations[2].maxShare): must be between 0 and 1',
			'Rule 3 "Billing disputes" › target (rules[2].target): unknown destination "acme" (destinations: team, trust, billing-experts, api-guild, nihongo)',
		]);
	});

	it('reads field paths from a helpdesk preset with overrides', async () => {
		const zendesk = router(byKind, { fieldPreset: 'zendesk', fieldPaths: { tier: 'custom.segment' } });
		const run = await runWorkflow(zendesk, {
			items: [
				{ id: 9001, subject: 'Hi', description: 'I need a refund', requester: { region: 'eu' }, via: { channel: 'email' } },
				{ id: 9002, subject: 'Refund', custom: { segment: 'vip' } },
			],
		});
		expect(destinations(run, 1)).toEqual([[9001, 'billing-experts']]);
		expect(run.output(ROUTER, 0)[0].json.delegation).toMatchObject({ reason: 'keepInternal', ticketId: '9002' });
	});

	it('builds the same policy from the editor collections', async () => {
		const workflow = router(byKind, {
			policySource: 'editor',
			scope: `editor-${process.pid}`,
			timezone: 'Europe/Paris',
			defaultDestination: 'team',
			destinations: {
				destination: [
					{ id: 'team', name: 'Support team', kind: 'internal' },
					{ id: 'surge-a', kind: 'external', contract: 'capacity', capacityPerHour: 0, maxSharePercent: 0, dataRegions: '' },
					{ id: 'surge-b', kind: 'external', contract: 'capacity', paused: true },
					{ id: 'acme', name: 'Acme', kind: 'external', contract: 'specialist', capacityPerHour: 1, maxSharePercent: 40, dataRegions: 'eu, uk', allowedFields: 'id, subject' },
				],
			},
			rules: {
				rule: [
					{ id: 'vip', kind: 'keepInternal', targets: 'team', tiers: 'vip, enterprise' },
					{ id: 'billing', name: 'Billing', kind: 'specialist', targets: 'acme', keywords: 'refund, chargeback' },
					{ id: 'peak', kind: 'overflow', targets: 'surge-a:3, surge-b:1', capacityPerHour: 1, onAt: 1, offAt: 0.8 },
				],
			},
		});
		const run = await runWorkflow(workflow, {
			items: [
				{ id: 'e1', subject: 'refund', customer: { region: 'uk' } },
				{ id: 'e2', subject: 'hello', customer: { tier: 'Enterprise' } },
				{ id: 'e3', subject: 'hello again' },
			],
		});
		expect(run.status).toBe('success');
		expect(run.output(ROUTER, 1).map((i) => (i.json.delegation as IDataObject).destination)).toEqual(['acme', 'surge-a']);
		expect(run.output(ROUTER, 1)[0].json.delegation).toMatchObject({ vendorTerms: { dataRegions: ['eu', 'uk'], allowedFields: ['id', 'subject'] } });
		expect(run.output(ROUTER, 0)[0].json.delegation).toMatchObject({ ticketId: 'e2', reason: 'keepInternal' });
	});

	it('sweeps a backlog with capacity given as an expression, evaluated once', async () => {
		const workflow = router(byKind, { operation: 'sweep', sweepCapacity: '={{ 1 + 1 }}' }, (p) => {
			(p.destinations as IDataObject[]).push({ id: 'surge', kind: 'external', contract: 'capacity' });
			(p.rules as IDataObject[]).push({ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { capacityPerHour: 500 } });
		});
		const run = await runWorkflow(workflow, {
			items: [
				{ id: 's1', priority: 'low', createdAt: '2026-06-01T08:00:00Z' },
				{ id: 's2', priority: 'urgent', createdAt: '2026-06-02T08:00:00Z' },
				{ id: 's3', priority: 'low', createdAt: '2026-05-01T08:00:00Z' },
				{ id: 's4', priority: 'high', subject: 'webhook', createdAt: '2026-06-03T08:00:00Z' },
			],
		});
		const reasons = Object.fromEntries(
			run.outputs(ROUTER).flat().map((i) => [i.json.id, `${(i.json.delegation as IDataObject).destination}/${(i.json.delegation as IDataObject).reason}`]),
		);
		expect(reasons).toEqual({ s2: 'team/sweepWithinCapacity', s4: 'team/sweepWithinCapacity', s3: 'surge/overflow', s1: 'surge/overflow' });
	});

	it('takes the current load as a per-execution parameter', async () => {
		const workflow = router(byKind, { options: { currentLoad: '={{ 40 + 2 }}' } }, (p) => {
			(p.destinations as IDataObject[]).push({ id: 'surge', kind: 'external', contract: 'capacity' });
			(p.rules as IDataObject[]).push({ id: 'peak', kind: 'overflow', targets: ['surge'], overflow: { backlogLimit: 42 } });
		});
		const run = await runWorkflow(workflow, { items: [{ id: 'load-1', subject: 'hi' }] });
		expect(run.output(ROUTER, 1)[0].json.delegation).toMatchObject({ destination: 'surge', reason: 'overflow' });
	});

	it('fails when the ledger is unavailable, or routes without guardrails when told to', async () => {
		const corrupt = join(mkdtempSync(join(tmpdir(), 'router-ledger-')), 'ledger.sqlite');
		writeFileSync(corrupt, 'this is not a SQLite database, it is a text file that got in the way '.repeat(100));
		const broken = { ledgerFile: corrupt };
		const failing = await runWorkflow(router(byKind, broken), { items: [{ id: 'u1', subject: 'chargeback' }] });
		expect(failing.status).toBe('error');
		expect(failing.error(ROUTER)?.message).toMatch(/^Delegation ledger unavailable: .*ledger\.sqlite/);
		const routing = await runWorkflow(router(byKind, { ...broken, options: { ledgerUnavailable: 'route' } }), {
			items: [1, 2, 3, 4].map((n) => ({ id: `u${n}`, subject: 'chargeback', customer: { region: 'eu' } })),
		});
		expect(routing.status).toBe('success');
		// Caps need counts: without the ledger all four reach the vendor capped at 3 an hour, each marked.
		expect(routing.output(ROUTER, 1).map((i) => (i.json.delegation as IDataObject).ledger)).toEqual(['unavailable', 'unavailable', 'unavailable', 'unavailable']);
	});
});
