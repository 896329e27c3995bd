import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { IDataObject, INode, IWorkflowBase } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { HARNESS_INPUT, runWorkflow, type WorkflowRun } from '../harness/workflow';

const ROUTER = 'Ticket Router';
const TYPE = 'n8n-nodes-support-delegation.ticketRouter';
let scopes = 0;

function routerWorkflow(parameters: IDataObject, typeVersion = 2, settings: IDataObject = {}): Pick<IWorkflowBase, 'nodes' | 'connections' | 'settings'> {
	return {
		settings,
		nodes: [
			{ id: 'in', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'router', name: ROUTER, type: TYPE, typeVersion, position: [200, 0], parameters: parameters as INode['parameters'] },
		],
		connections: { Input: { main: [[{ node: ROUTER, type: 'main', index: 0 }]] } },
	};
}

/** Every output's delegations, back in input order (by pairing). */
const delegationsOf = (run: WorkflowRun) =>
	run
		.outputs(ROUTER)
		.flat()
		.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item)
		.map((item) => item.json.delegation as IDataObject);
const hintsOf = (run: WorkflowRun) => (run.run.data.resultData.runData[ROUTER][0].hints ?? []).map((h) => h.message);

describe('AI triage template: the router routes on the model’s labels', () => {
	const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'ai-triage.json'), 'utf8')) as IWorkflowBase;
	const node = template.nodes.find((n) => n.name === ROUTER)!;

	it('sends confident refunds and bugs to their vendors, account access to trust, unsure labels to the team', async () => {
		const policy = JSON.parse(node.parameters.policyJson as string);
		policy.scope = `ai-${process.pid}-${++scopes}`;
		// What "Ticket with its labels" (Merge, combine by position) hands the router: the ticket and the extractor's output.
		const items = [
			{ id: 'AI-3001', subject: 'Refund for a double charge', output: { intent: 'refund', confidence: 0.95 } },
			{ id: 'AI-3002', subject: 'Cannot log in', output: { intent: 'account_access', confidence: 0.9 } },
			{ id: 'AI-3003', subject: 'Export crashes', output: { intent: 'bug', confidence: 0.85 } },
			{ id: 'AI-3004', subject: 'Question', output: { intent: 'other', confidence: 0.4 } },
			{ id: 'AI-3005', subject: 'Invoice?', output: { intent: 'billing_question', confidence: '0.8' } },
			{ id: 'AI-3006', subject: 'Refund maybe', output: { intent: 'refund', confidence: 0.79 } },
			{ id: 'AI-3007', subject: 'No labels: the model failed for this one' },
		];
		const run = await runWorkflow(routerWorkflow({ ...node.parameters, policyJson: JSON.stringify(policy) }, node.typeVersion), { items });
		expect(run.status).toBe('success');
		const where = Object.fromEntries(delegationsOf(run).map((d) => [d.ticketId, [d.destination, d.ruleId]]));
		expect(where).toEqual({
			'AI-3001': ['billing-experts', 'refunds'],
			'AI-3002': ['trust', 'account-access'],
			'AI-3003': ['bug-squad', 'bugs'],
			'AI-3004': ['team', 'unsure'],
			'AI-3005': ['billing-experts', 'refunds'],
			'AI-3006': ['team', 'unsure'],
			'AI-3007': ['team', null],
		});
		const refund = delegationsOf(run).find((d) => d.ticketId === 'AI-3001')!;
		expect(refund.matched).toEqual(['field:output.intent isOneOf refund']);
		expect(hintsOf(run)).toEqual([]);
	});
});

describe('Ticket Router v2: Build in Editor', () => {
	/** The 6-destination, 5-rule policy the editor budget is measured on, as the v2 editor stores it. */
	const editorPolicy = () => ({
		operation: 'route',
		policySource: 'editor',
		scope: `editor-v2-${process.pid}-${++scopes}`,
		destinations: {
			destination: [
				{ name: 'Support team', kind: 'internal' },
				{ name: 'Trust & Safety', kind: 'internal' },
				{ name: 'Billing Experts', kind: 'specialist', dpa: true, allowedFields: 'id, subject', costPerTicket: 6.5, capacityPerHour: 40 },
				{ name: 'NightDesk', kind: 'outsourcing', dpa: true, allowedFields: 'id, subject' },
				{ name: 'Surge A', kind: 'capacity', dpa: true, allowedFields: 'id, subject', capacityPerHour: 2 },
				{ name: 'Surge B', kind: 'capacity', dpa: true, allowedFields: 'id, subject', capacityPerHour: 1, limits: { monthlyBudget: 500, maxSharePercent: 100 } },
			],
		},
		rules: {
			rule: [
				// Kinds left to the destination: keep internal for a queue, the vendor's contract otherwise.
				{ name: 'VIP stays', target: 'support-team', when: { tiers: 'vip' } },
				{ name: 'Security', target: 'trust-safety', when: { tags: 'security, legal' } },
				{ name: 'Billing', target: 'billing-experts', when: { keywords: 'refund, chargeback' } },
				{ name: 'After hours', target: 'nightdesk', when: { outsideSchedule: 'office' } },
				{
					name: 'Peak',
					kind: 'overflow',
					strategy: 'spareCapacity',
					weightedTargets: { vendor: [{ destination: 'surge-a', weight: 3 }, { destination: 'surge-b', weight: 1 }] },
					backlogLimit: 10,
				},
			],
		},
		schedules: { schedule: [{ name: 'Office', hours: { interval: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00' }] }, holidays: '2030-01-01' }] },
		// No default destination chosen: the first internal queue.
		timezone: '',
		fieldPreset: 'generic',
		outputMode: 'kind',
		options: { currentLoad: 50 },
	});

	it('derives IDs from names, routes by schedule and spare capacity, in the workflow’s time zone', async () => {
		const run = await runWorkflow(routerWorkflow(editorPolicy(), 2, { timezone: 'Pacific/Kiritimati' }), {
			items: [
				{ id: 'v1', subject: 'hello', customer: { tier: 'VIP' } },
				{ id: 'v2', subject: 'hacked', tags: ['security'] },
				{ id: 'v3', subject: 'refund please' },
				{ id: 'v4', subject: 'busy day 1' },
				{ id: 'v5', subject: 'busy day 2' },
				{ id: 'v6', subject: 'busy day 3' },
				{ id: 'v7', subject: 'busy day 4' },
			],
		});
		expect(run.status).toBe('success');
		const d = delegationsOf(run);
		// The office is open around the clock (the after-hours rule never fires) and overflow is on (load 50 ≥ 10):
		// spare capacity sends v4 to Surge A (room 2 > 1), v5 to Surge B (room 1 = 1, fewer in the last hour), v6 to
		// Surge A (1 > 0); for v7 neither has room left and the team keeps it.
		expect(d.map((x) => x.destination)).toEqual(['support-team', 'trust-safety', 'billing-experts', 'surge-a', 'surge-b', 'surge-a', 'support-team']);
		expect(d[6].guardrail).toMatchObject({ name: 'overflowSaturated' });
		expect(d.slice(0, 3).map((x) => x.reason)).toEqual(['keepInternal', 'keepInternal', 'specialist']);
		expect(hintsOf(run)).toEqual([]);
	});

	it('reads dates in the workflow’s time zone when the router’s is empty, and in its own when set', async () => {
		const params = (timezone: string) => ({
			...editorPolicy(),
			timezone,
			rules: { rule: [{ name: 'Early', kind: 'keepInternal', target: 'trust-safety', when: { fields: { condition: [{ path: 'createdAt', operator: 'lessThan', value: '2026-06-10 12:00' }] } } }] },
		});
		// 00:30Z is 14:30 on the wall clock of Kiritimati (UTC+14), past noon; in UTC it is before noon.
		const items = [{ id: 'tz-1', createdAt: '2026-06-10T00:30:00Z' }];
		const kiritimati = await runWorkflow(routerWorkflow(params(''), 2, { timezone: 'Pacific/Kiritimati' }), { items });
		expect(delegationsOf(kiritimati)[0].destination).toBe('support-team');
		const utc = await runWorkflow(routerWorkflow(params('UTC'), 2, { timezone: 'Pacific/Kiritimati' }), { items });
		expect(delegationsOf(utc)[0]).toMatchObject({ destination: 'trust-safety', matched: ['field:createdAt lessThan 2026-06-10 12:00'] });
	});

	it('warns on the node about what will certainly fail downstream, before routing', async () => {
		const params = editorPolicy();
		params.destinations.destination[3] = { name: 'NightDesk', kind: 'outsourcing' } as never;
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'w1', subject: 'hi' }] });
		expect(run.status).toBe('success');
		expect(hintsOf(run)).toEqual([
			'Destination 4 "NightDesk" (destinations[3]) has no data processing agreement on file (dpa): Provider Handoff refuses every ticket routed to it. Turn on "DPA on File" once the agreement is signed.',
			'Destination 4 "NightDesk" (destinations[3]) may receive no ticket fields (allowedFields is empty): Provider Handoff refuses every ticket routed to it. List the fields it may see, e.g. id, subject, description.',
		]);
	});

	it('names a bad destination by the rule as the editor shows it and lists the valid IDs', async () => {
		const params = editorPolicy();
		(params.rules.rule[2] as { target: string }).target = 'billing-expert';
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'e1' }] });
		expect(run.status).toBe('error');
		expect(run.error(ROUTER)?.message).toBe(
			'Invalid policy: Rule 3 "Billing" › targets[0] (rules[2].targets[0]): unknown destination "billing-expert" (destinations: support-team, trust-safety, billing-experts, nightdesk, surge-a, surge-b)',
		);
	});
});

describe('earlier decisions under another policy version', () => {
	it('says so on the node, with how to re-route; the decision keeps its original why', async () => {
		const scope = `earlier-${process.pid}-${++scopes}`;
		const policy = (keywords: string[]) =>
			JSON.stringify({
				scope,
				destinations: [
					{ id: 'team', kind: 'internal' },
					{ id: 'acme', kind: 'external', dpa: true, allowedFields: ['id'] },
				],
				rules: [{ id: 'billing', name: 'Billing', kind: 'specialist', when: { keywords }, target: 'acme' }],
				defaultDestination: 'team',
			});
		const params = (keywords: string[], options: IDataObject = {}) => ({ operation: 'route', policySource: 'json', policyJson: policy(keywords), fieldPreset: 'generic', outputMode: 'kind', options });
		const items = [{ id: 'E-1', subject: 'refund and invoice' }, { id: 'E-2', subject: 'invoice copy' }];
		const first = await runWorkflow(routerWorkflow(params(['refund'])), { items });
		expect(delegationsOf(first).map((d) => [d.ticketId, d.destination])).toEqual([
			['E-1', 'acme'],
			['E-2', 'team'],
		]);

		const second = await runWorkflow(routerWorkflow(params(['refund', 'invoice'])), { items });
		const again = delegationsOf(second);
		expect(again.map((d) => [d.ledger, d.destination])).toEqual([
			['existing', 'acme'],
			['existing', 'team'],
		]);
		expect(again[0].matched).toEqual(['keyword:refund']);
		expect(again[0].explanation).toMatch(/^Earlier decision of .* under policy version [0-9a-f]{12}, not the current [0-9a-f]{12}: Rule "Billing" \(specialist\) matched on keyword:refund → acme\./);
		expect(hintsOf(second)).toEqual([
			expect.stringMatching(/^2 tickets kept their earlier open decision, made under policy version [0-9a-f]{12}; the current policy is [0-9a-f]{12}, so its changes did not apply to them\. To route them by the current policy, turn on Options → Re-Route/),
		]);

		const rerouted = await runWorkflow(routerWorkflow(params(['refund', 'invoice'], { reroute: true })), { items });
		expect(delegationsOf(rerouted).map((d) => [d.ledger, d.destination])).toEqual([
			['recorded', 'acme'],
			['recorded', 'acme'],
		]);
		expect(hintsOf(rerouted)).toEqual([]);
	});
});
