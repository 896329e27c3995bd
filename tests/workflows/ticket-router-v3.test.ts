import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { LoadOptionsContext } from 'n8n-core';
import type { IDataObject, INode, INodeParameters, IWorkflowBase, IWorkflowExecuteAdditionalData } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { configuredOutputs } from '../../nodes/TicketRouter/outputs';
import { TicketRouter } from '../../nodes/TicketRouter/TicketRouter.node';
import { v3Parameters } from '../e2e/support/editor-budget';
import { HARNESS_INPUT, runWorkflow, type WorkflowRun } from '../harness/workflow';
import { seedLedger, spread } from '../unit/risk/rows';

const ROUTER = 'Ticket Router';
const TYPE = 'n8n-nodes-support-delegation.ticketRouter';
let scopes = 0;

function routerWorkflow(parameters: IDataObject, settings: IDataObject = {}): Pick<IWorkflowBase, 'nodes' | 'connections' | 'settings'> {
	return {
		settings,
		nodes: [
			{ id: 'in', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'router', name: ROUTER, type: TYPE, typeVersion: 3, position: [200, 0], parameters: parameters as INode['parameters'] },
		],
		connections: { Input: { main: [[{ node: ROUTER, type: 'main', index: 0 }]] } },
	};
}

const delegationsOf = (run: WorkflowRun) =>
	run
		.outputs(ROUTER)
		.flat()
		.sort((a, b) => (a.pairedItem as { item: number }).item - (b.pairedItem as { item: number }).item)
		.map((item) => item.json.delegation as IDataObject);
const hintsOf = (run: WorkflowRun) => (run.run.data.resultData.runData[ROUTER][0].hints ?? []).map((h) => h.message);

/** The editor budget's policy as version 3 stores it, with caps and a backlog limit small enough to watch overflow spread. */
// A copy each time: tests change parts of it.
const queueCentric = () => ({
	...structuredClone(v3Parameters),
	scope: `editor-v3-${process.pid}-${++scopes}`,
	vendors: {
		vendor: [
			...structuredClone(v3Parameters.vendors.vendor.slice(0, 2)),
			{ name: 'Surge A', contract: 'capacity', capacityPerHour: 2, weight: 3 },
			{ name: 'Surge B', contract: 'capacity', capacityPerHour: 1, limits: { monthlyBudget: 500, maxSharePercent: 100 } },
		],
	},
	overflowCapacityPerHour: 0,
	overflow: { backlogLimit: 10, strategy: 'spareCapacity' },
	schedules: { schedule: [{ name: 'Office', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00', holidays: '2030-01-01' }] },
	timezone: '',
	fieldPreset: 'generic',
	outputMode: 'kind',
	options: { currentLoad: 50 },
});

afterAll(() => closeLedgers());

describe('Ticket Router v3: queue-centric Build in Editor', () => {
	it('routes the budget policy as version 2 does: conditions on queues and vendors, kinds from them, overflow by spare capacity', async () => {
		const run = await runWorkflow(routerWorkflow(queueCentric(), { timezone: 'Pacific/Kiritimati' }), {
			items: [
				{ id: 'q1', subject: 'hello', customer: { tier: 'VIP' } },
				{ id: 'q2', subject: 'hacked', tags: ['security'] },
				{ id: 'q3', subject: 'refund please' },
				{ id: 'q4', subject: 'busy day 1' },
				{ id: 'q5', subject: 'busy day 2' },
				{ id: 'q6', subject: 'busy day 3' },
				{ id: 'q7', subject: 'busy day 4' },
			],
		});
		expect(run.status).toBe('success');
		const d = delegationsOf(run);
		// The office is open around the clock (NightDesk's condition never holds) and overflow is on (load 50 ≥ 10):
		// spare capacity sends q4 to Surge A (room 2 > 1), q5 to Surge B (1 = 1, fewer in the last hour), q6 to
		// Surge A (1 > 0); for q7 neither has room and the team keeps it.
		expect(d.map((x) => x.destination)).toEqual(['support-team', 'trust-safety', 'billing-experts', 'surge-a', 'surge-b', 'surge-a', 'support-team']);
		expect(d.map((x) => x.reason)).toEqual(['keepInternal', 'keepInternal', 'specialist', 'overflow', 'overflow', 'overflow', 'overflow']);
		// A queue's or vendor's conditions are its rule: the rule is named after it.
		expect(d.slice(0, 3).map((x) => [x.ruleId, x.ruleName])).toEqual([
			['support-team', 'Support team'],
			['trust-safety', 'Trust & Safety'],
			['billing-experts', 'Billing Experts'],
		]);
		expect(d[3]).toMatchObject({ ruleId: 'capacity-overflow', vendorTerms: { dpa: true, allowedFields: ['id', 'subject'] } });
		expect(d[6].guardrail).toMatchObject({ name: 'overflowSaturated' });
		expect(hintsOf(run)).toEqual([]);
	});

	it('sends tickets to the outsourcing vendor while the schedule is closed (today a company holiday)', async () => {
		const today = new Date().toISOString().slice(0, 10);
		const params = { ...queueCentric(), timezone: 'UTC', schedules: { schedule: [{ name: 'Office', days: ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], from: '00:00', to: '24:00', holidays: today }] } };
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'n1', subject: 'hi' }] });
		expect(run.status).toBe('success');
		expect(delegationsOf(run)[0]).toMatchObject({ destination: 'nightdesk', reason: 'outsourcing', ruleId: 'nightdesk' });
	});

	it('warns in the editor’s terms: a vendor whose own DPA setting overrides the policy’s', async () => {
		const params = queueCentric();
		(params.vendors.vendor[1] as IDataObject).limits = { dpa: false };
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'w1', subject: 'hi' }] });
		expect(run.status).toBe('success');
		expect(hintsOf(run)).toEqual([
			'Vendor 2 "NightDesk" (destinations[3]) has no data processing agreement on file (dpa): Provider Handoff refuses every ticket routed to it. Turn on "DPA on File" once the agreement is signed.',
		]);
	});

	it('names a bad schedule by the vendor and its Route Here When, with the policy path', async () => {
		const params = queueCentric();
		(params.vendors.vendor[1] as IDataObject).when = { outsideSchedule: 'ofice' };
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'e1' }] });
		expect(run.status).toBe('error');
		expect(run.error(ROUTER)?.message).toBe(
			'Invalid policy: Vendor 2 "NightDesk" › Route Here When › outsideSchedule (rules[3].when.outsideSchedule): unknown schedule "ofice" (schedules: office)',
		);
	});

	it('says where to set the overflow threshold when capacity vendors have none', async () => {
		const params = { ...queueCentric(), overflow: {} };
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'e2' }] });
		expect(run.status).toBe('error');
		expect(run.error(ROUTER)?.message).toBe(
			'Invalid policy: Overflow › Team Capacity per Hour or Overflow Settings › Backlog Limit (rules[4].overflow): an overflow rule needs its overflow settings (capacityPerHour or backlogLimit)',
		);
	});

	it('One per Destination: internal queues then vendors, as the outputs are drawn', async () => {
		const params = { ...queueCentric(), outputMode: 'destination' };
		expect(configuredOutputs(params).map((o) => o.displayName)).toEqual(['Support team', 'Trust & Safety', 'Billing Experts', 'NightDesk', 'Surge A', 'Surge B']);
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'o1', subject: 'refund' }, { id: 'o2', tags: ['legal'] }] });
		expect(run.status).toBe('success');
		expect(run.output(ROUTER, 2).map((i) => i.json.id)).toEqual(['o1']);
		expect(run.output(ROUTER, 1).map((i) => i.json.id)).toEqual(['o2']);
	});
});

describe('quality limits built in the editor (version 3)', () => {
	const path = join(mkdtempSync(join(tmpdir(), 'sd-editor-quality-')), 'ledger.sqlite');
	const scope = `editor-quality-${process.pid}`;

	it('diverts a billing ticket from a vendor below its minimum SLA-met rate to the vendor it tries next', async () => {
		// 20 acme delegations finished in the last day: 11 met the SLA, 9 missed (55%, under the 60% limit).
		const writer = await SqliteLedger.open(path);
		const now = Date.now();
		const rows = spread(20, now - 86_400_000, now - 60_000, { scope, vendor: 'acme', destination: 'acme' });
		await seedLedger(writer, rows);
		await writer.recordOutcomes(scope, rows.map((r, i) => ({ ticketId: r.ticketId, update: { status: 'resolved' as const, slaMet: i >= 9 } })));
		await writer.close();

		const params = {
			operation: 'route',
			policySource: 'editor',
			scope,
			ledgerFile: path,
			queues: { queue: [{ name: 'Team' }] },
			vendors: {
				vendor: [
					{ name: 'Acme', when: { categories: 'billing' }, limits: { minSlaMetPercent: 60, qualityLastResolved: 20, qualityMinSample: 20, thenTry: ['globex'] } },
					{ name: 'Globex' },
				],
			},
			vendorDpa: true,
			vendorAllowedFields: 'id',
			fieldPreset: 'generic',
			outputMode: 'kind',
		};
		const run = await runWorkflow(routerWorkflow(params), { items: [{ id: 'Q-1', subject: 'Invoice', category: 'billing' }] });
		expect(run.status).toBe('success');
		const [delegation] = delegationsOf(run);
		expect(delegation.destination).toBe('globex');
		expect(delegation.guardrail).toEqual({
			name: 'quality',
			wanted: 'acme',
			detail: 'acme quality: SLA met 55.0% over 20 outcomes (minimum 60%), last 20 resolved',
		});
	});
});

describe('Ticket Router v3 dropdowns', () => {
	const router = new TicketRouter();
	/** The context n8n builds for a dropdown: the node alone, with the parameters the editor currently holds. */
	function options(method: 'allDestinations' | 'vendors' | 'schedules', parameters: INodeParameters, path: string) {
		const node: INode = { id: 'n1', name: 'Node', type: TYPE, typeVersion: 3, position: [0, 0], parameters };
		const nodeTypes = { getByName: () => router, getByNameAndVersion: () => router, getKnownTypes: () => ({}) };
		const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes: nodeTypes as never });
		const additionalData = { currentNodeParameters: parameters } as unknown as IWorkflowExecuteAdditionalData;
		return router.methods.loadOptions[method].call(new LoadOptionsContext(workflow, node, additionalData, path));
	}

	it('lists internal queues then vendors as the destinations, vendors alone for If Over a Limit, Try', async () => {
		const parameters = v3Parameters as unknown as INodeParameters;
		expect((await options('allDestinations', parameters, 'parameters.defaultDestination')).map((o) => [o.value, o.description])).toEqual([
			['support-team', 'Internal queue'],
			['trust-safety', 'Internal queue'],
			['billing-experts', 'External vendor'],
			['nightdesk', 'External vendor'],
			['surge-a', 'External vendor'],
			['surge-b', 'External vendor'],
		]);
		expect((await options('vendors', parameters, 'parameters.vendors.vendor[0].limits.thenTry')).map((o) => o.value)).toEqual(['billing-experts', 'nightdesk', 'surge-a', 'surge-b']);
		expect((await options('schedules', parameters, 'parameters.vendors.vendor[1].when.outsideSchedule')).map((o) => o.name)).toEqual(['— None —', 'Office (office)']);
	});
});
