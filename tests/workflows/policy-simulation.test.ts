import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { delegation, seedLedger } from '../unit/risk/rows';
import { CURRENT_POLICY, DRAFT_POLICY, monthItems } from '../unit/routing/simulation-month';

const path = join(mkdtempSync(join(tmpdir(), 'sd-simulation-')), 'ledger.sqlite');

function simulation(parameters: INodeParameters, node: Partial<INode> = {}) {
	return {
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: '2',
				name: 'Policy Simulation',
				type: `${PACKAGE}.policySimulation`,
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: {
					currentPolicy: JSON.stringify(CURRENT_POLICY),
					draftPolicy: JSON.stringify(DRAFT_POLICY),
					fieldPreset: 'generic',
					sampleSize: 50,
					ledgerFile: path,
					...parameters,
				},
				...node,
			},
		],
		connections: { Input: { main: [[{ node: 'Policy Simulation', type: 'main' as const, index: 0 }]] } },
	};
}

type Figures = { destinations: Array<{ destination: string; tickets: number }> };
const counts = (figures: unknown) => Object.fromEntries((figures as Figures).destinations.map((d) => [d.destination, d.tickets]));

/** Rows in every ledger table: what "nothing written" is checked against. */
function tableCounts(): Record<string, number> {
	const db = new DatabaseSync(path, { readOnly: true });
	try {
		const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name`).all() as Array<{ name: string }>;
		return Object.fromEntries(tables.map(({ name }) => [name, Number((db.prepare(`SELECT count(*) AS n FROM "${name}"`).get() as { n: number }).n)]));
	} finally {
		db.close();
	}
}

beforeAll(async () => {
	// Three acme decisions at 12:00 UTC on September 30th (21 h before the month's first ticket), one for another scope.
	const ledger = await SqliteLedger.open(path);
	const at = Date.UTC(2026, 8, 30, 12, 0);
	await seedLedger(ledger, [
		...[0, 1, 2].map((k) => delegation({ scope: 'sim-month', vendor: 'acme', decidedAt: at + k, costEstimate: 10 })),
		delegation({ scope: 'elsewhere', vendor: 'acme', decidedAt: at }),
	]);
	await ledger.close();
});

afterAll(() => closeLedgers());

describe('Policy Simulation node (WorkflowExecute)', () => {
	it('from empty: one report item, paired with every ticket, with the hand-worked figures', async () => {
		const run = await runWorkflow(simulation({ startFrom: 'empty' }), { items: monthItems() });
		expect(run.status).toBe('success');
		const [item, ...rest] = run.output('Policy Simulation');
		expect(rest).toEqual([]);
		expect(item.pairedItem).toEqual(monthItems().map((_, i) => ({ item: i })));
		const report = item.json as IDataObject;
		expect(report.tickets).toBe(17);
		expect(report.start).toBe('empty');
		// See tests/unit/routing/simulate.test.ts for the ticket-by-ticket reasoning.
		expect(counts(report.current)).toEqual({ team: 5, acme: 7, globex: 4, initech: 1 });
		expect(counts(report.draft)).toEqual({ team: 2, acme: 2, globex: 7, initech: 6 });
		expect((report.changes as IDataObject).tickets).toBe(13);
	});

	it('from the ledger: earlier decisions fill acme\'s day, and nothing is written', async () => {
		const before = tableCounts();
		const run = await runWorkflow(simulation({ startFrom: 'ledger' }), { items: monthItems() });
		expect(run.status).toBe('success');
		const report = run.output('Policy Simulation')[0].json as IDataObject;
		expect(report.start).toBe('ledger');
		// B1 → initech (acme has 3 in the last day), B2–B5 → team (acme full, initech took B1 this hour); the rest as
		// from empty. The draft sends billing to globex first: the ledger's acme decisions change nothing there.
		expect(counts(report.current)).toEqual({ team: 8, acme: 4, globex: 4, initech: 1 });
		expect(counts(report.draft)).toEqual({ team: 2, acme: 2, globex: 7, initech: 6 });
		expect(tableCounts()).toEqual(before);
		expect(before.delegations).toBe(4);
	});

	it('a ticket without a created-at time fails naming the item; Continue On Fail reports the rest', async () => {
		const items: IDataObject[] = [...monthItems()];
		items[3] = { ...items[3], createdAt: 'not a date' };
		const failed = await runWorkflow(simulation({ startFrom: 'empty' }), { items });
		expect(failed.status).toBe('error');
		expect(failed.error('Policy Simulation')?.message).toBe('Item 3: ticket "B3" has no usable created-at time');

		const run = await runWorkflow(simulation({ startFrom: 'empty' }, { onError: 'continueRegularOutput' }), { items });
		const [report, error] = run.output('Policy Simulation');
		expect((report.json as IDataObject).tickets).toBe(16);
		expect(report.pairedItem).not.toContainEqual({ item: 3 });
		expect(error).toEqual({ json: { error: 'Item 3: ticket "B3" has no usable created-at time' }, pairedItem: { item: 3 } });
	});

	it('an invalid draft policy fails naming the parameter and the field', async () => {
		const draft = { ...DRAFT_POLICY, defaultDestination: 'nowhere' };
		const run = await runWorkflow(simulation({ startFrom: 'empty', draftPolicy: JSON.stringify(draft) }), { items: monthItems() });
		expect(run.status).toBe('error');
		expect(run.error('Policy Simulation')?.message).toMatch(/^Draft Policy: Invalid policy: .*defaultDestination.*unknown destination "nowhere"/);
	});

	it('refuses a negative sample size and a policy that is not JSON, naming the parameter', async () => {
		const negative = await runWorkflow(simulation({ startFrom: 'empty', sampleSize: -1 }), { items: monthItems() });
		expect(negative.error('Policy Simulation')?.message).toBe('Sample Size must be 0 or more, got "-1"');
		const broken = await runWorkflow(simulation({ startFrom: 'empty', currentPolicy: '{ "destinations": [' }), { items: monthItems() });
		expect(broken.error('Policy Simulation')?.message).toMatch(/^Current Policy: /);
	});

	it('epoch-millisecond times, equal times and a repeated ticket id: replayed in input order where times tie, each counted', async () => {
		// Four billing tickets at the same instant, one id twice: acme takes three (its daily cap), the fourth goes to initech.
		const t = Date.UTC(2026, 9, 1, 9, 0);
		const items = ['X1', 'X2', 'X1', 'X3'].map((id) => ({ id, category: 'billing', createdAt: t }));
		const run = await runWorkflow(simulation({ startFrom: 'empty' }), { items });
		const report = run.output('Policy Simulation')[0].json as IDataObject;
		expect(counts(report.current)).toEqual({ team: 0, acme: 3, globex: 0, initech: 1 });
		// Draft: globex (5 a month) takes all four; every one moves, listed in input order.
		expect(((report.changes as IDataObject).sample as IDataObject[]).map((m) => m.ticketId)).toEqual(['X1', 'X2', 'X1', 'X3']);
	});
});
