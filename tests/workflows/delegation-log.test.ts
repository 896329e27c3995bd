import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { HARNESS_INPUT, PACKAGE, runWorkflow } from '../harness/workflow';
import { delegation, seedLedger, spread } from '../unit/risk/rows';
import { recordOne } from '../ledger/fixtures';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const path = join(mkdtempSync(join(tmpdir(), 'sd-delegation-log-')), 'ledger.sqlite');
let ledger: SqliteLedger;
const now = Date.now();

function logWorkflow(parameters: INodeParameters, node: Partial<INode> = {}) {
	return {
		nodes: [
			{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: '2',
				name: 'Log',
				type: `${PACKAGE}.delegationLog`,
				typeVersion: 1,
				position: [200, 0] as [number, number],
				parameters: { ledgerFile: path, ...parameters },
				...node,
			},
		],
		connections: { Input: { main: [[{ node: 'Log', type: 'main' as const, index: 0 }]] } },
	};
}

const fromDelegation = (ticketId: string): IDataObject => ({ delegation: { ticketId, policyScope: 'default' } });

beforeAll(async () => {
	ledger = await SqliteLedger.open(path);
	await seedLedger(ledger, [
		delegation({ ticketId: 'T-1', vendor: 'acme', decidedAt: now - 5 * HOUR, topic: 'billing', costEstimate: 6, reason: 'specialist' }),
		delegation({ ticketId: 'T-2', vendor: 'bolt', decidedAt: now - 4 * HOUR, topic: 'api', costEstimate: 3, reason: 'overflow' }),
		delegation({ ticketId: 'T-3', vendor: null, decidedAt: now - 3 * HOUR, reason: 'keepInternal' }),
		delegation({ id: 'T-4-a', ticketId: 'T-4', vendor: 'acme', decidedAt: now - 2 * HOUR, costEstimate: 6, reason: 'overflow' }),
		delegation({ ticketId: 'T-5', vendor: 'acme', decidedAt: now - 40 * DAY, costEstimate: 6 }),
	]);
	// T-4 came back and was routed again: two decisions, the second linked to the first.
	await recordOne(ledger, 'default', 'T-4', { status: 'returned' });
	await seedLedger(ledger, [
		delegation({ ticketId: 'T-4', vendor: 'bolt', decidedAt: now - HOUR, previousId: 'T-4-a', costEstimate: 3, reason: 'overflow' }),
	]);
	// Outcomes the reading tests expect, recorded here so no test leans on another having run first.
	await recordOne(ledger, 'default', 'T-1', { status: 'resolved' });
	await recordOne(ledger, 'default', 'T-2', { status: 'accepted' });
	// A bigger scope for paging: more rows than one ledger page.
	await seedLedger(ledger, spread(2500, now - 10 * DAY, now - DAY, { scope: 'bulk', vendor: 'cura' }));
});

afterAll(async () => {
	await ledger.close();
	await closeLedgers();
});

describe('Delegation Log: record outcome', () => {
	it('updates the latest decision of the ticket and returns it, timestamps as ISO 8601', async () => {
		await seedLedger(ledger, [delegation({ scope: 'outcome', ticketId: 'O-1', vendor: 'acme', decidedAt: now - 5 * HOUR })]);
		const run = await runWorkflow(
			logWorkflow({
				operation: 'recordOutcome',
				policyScope: 'outcome',
				status: 'resolved',
				outcome: { slaMet: true, csat: 4.5, resolvedAt: '2026-11-20T10:00:00.000Z', providerReference: 'ACME-77' },
			}),
			{ items: [fromDelegation('O-1')] },
		);
		expect(run.status).toBe('success');
		const [item] = run.output('Log');
		expect(item.json).toMatchObject({
			ticketId: 'O-1',
			vendor: 'acme',
			status: 'resolved',
			slaMet: true,
			csat: 4.5,
			providerReference: 'ACME-77',
			resolvedAt: '2026-11-20T10:00:00.000Z',
			decidedAt: new Date(now - 5 * HOUR).toISOString(),
		});
		expect(item.pairedItem).toEqual({ item: 0 });
		const [stored] = await ledger.decisionsOf('outcome', 'O-1');
		expect(stored).toMatchObject({ status: 'resolved', slaMet: true, csat: 4.5, resolvedAt: Date.parse('2026-11-20T10:00:00.000Z') });
	});

	it('an unknown ticket id fails the node naming the item and the ticket', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'accepted' }), {
			items: [fromDelegation('T-2'), fromDelegation('T-404')],
		});
		expect(run.status).toBe('error');
		expect(run.error('Log')?.message).toBe('Item 1: no delegation recorded for ticket "T-404" in policy scope "default"');
	});

	it('under Continue On Fail the unknown ticket goes out with its error and pairing; the others are recorded', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'accepted' }, { onError: 'continueRegularOutput' }), {
			items: [fromDelegation('T-404'), fromDelegation('T-2')],
		});
		expect(run.status).toBe('success');
		const out = run.output('Log');
		expect(out).toHaveLength(2);
		expect(out[0].json).toMatchObject({ error: 'Item 0: no delegation recorded for ticket "T-404" in policy scope "default"' });
		expect(out[0].pairedItem).toEqual({ item: 0 });
		expect(out[1].json).toMatchObject({ ticketId: 'T-2', status: 'accepted' });
		expect(out[1].pairedItem).toEqual({ item: 1 });
	});

	it('an outcome the ledger cannot hold (NUL, over-long) fails that item alone, naming the field; the others are recorded', async () => {
		const run = await runWorkflow(
			logWorkflow(
				{ operation: 'recordOutcome', status: 'handed_off', outcome: { providerReference: '={{ $json.ref }}', errorClass: '={{ $json.errorClass }}' } },
				{ onError: 'continueRegularOutput' },
			),
			{
				items: [
					{ ...fromDelegation('T-1'), ref: 'REF\u0000-1' },
					{ ...fromDelegation('T\u0000-2') },
					{ ...fromDelegation('T-3'), ref: 'REF-3' },
					{ ...fromDelegation('T-1'), ref: 'REF-1', errorClass: 'e'.repeat(10_240) },
				],
			},
		);
		expect(run.status).toBe('success');
		expect(run.output('Log').map((i) => [i.pairedItem, i.json.error ?? i.json.providerReference])).toEqual([
			[{ item: 0 }, "Item 0: The outcome's provider reference contains a control character (U+0000) at position 3"],
			[{ item: 1 }, 'Item 1: "Ticket ID" contains a control character (U+0000) at position 1'],
			[{ item: 2 }, 'REF-3'],
			[{ item: 3 }, "Item 3: The outcome's error class is 10240 characters long (at most 100)"],
		]);
	});

	it('records every item in one ledger call: order and pairing kept, a ticket named twice gets both outcomes', async () => {
		await seedLedger(ledger, ['B-1', 'B-2'].map((ticketId) => delegation({ scope: 'batch', ticketId, vendor: 'acme', decidedAt: now - HOUR })));
		const batches = vi.spyOn(SqliteLedger.prototype, 'recordOutcomes');
		const item = (ticketId: string, status: string) => ({ ...fromDelegation(ticketId), status });
		try {
			const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', policyScope: 'batch', status: '={{ $json.status }}' }, { onError: 'continueRegularOutput' }), {
				items: [item('B-1', 'accepted'), item('B-404', 'accepted'), item('B-2', 'handed_off'), item('B-1', 'resolved')],
			});
			expect(batches).toHaveBeenCalledTimes(1);
			expect(batches.mock.calls[0][1]).toHaveLength(4);
			const out = run.output('Log');
			expect(out.map((i) => [i.json.ticketId ?? i.json.error, i.json.status])).toEqual([
				['B-1', 'accepted'],
				['Item 1: no delegation recorded for ticket "B-404" in policy scope "batch"', 'accepted'],
				['B-2', 'handed_off'],
				['B-1', 'resolved'],
			]);
			expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }, { item: 3 }]);
			expect((await ledger.decisionsOf('batch', 'B-1'))[0].status).toBe('resolved');
			expect((await ledger.decisionsOf('batch', 'B-2'))[0].status).toBe('handed_off');
		} finally {
			batches.mockRestore();
		}
	});

	it('a ledger failure during the write fails every item of it; under Continue On Fail each carries the reason', async () => {
		const locked = vi.spyOn(SqliteLedger.prototype, 'recordOutcomes').mockRejectedValue(new Error('database is locked'));
		try {
			const items = [fromDelegation('T-2'), fromDelegation('T-404')];
			const failing = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'resolved' }), { items });
			expect(failing.error('Log')?.message).toContain('database is locked');
			const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'resolved' }, { onError: 'continueRegularOutput' }), { items });
			expect(run.output('Log').map((i) => [String(i.json.error), i.pairedItem])).toEqual([
				[expect.stringContaining('database is locked'), { item: 0 }],
				[expect.stringContaining('database is locked'), { item: 1 }],
			]);
		} finally {
			locked.mockRestore();
		}
		expect((await ledger.decisionsOf('default', 'T-2'))[0].status).not.toBe('resolved');
	});

	it('bad input on one item fails the node before anything is written', async () => {
		await seedLedger(ledger, [delegation({ scope: 'batch', ticketId: 'B-3', vendor: 'acme', decidedAt: now - HOUR })]);
		const item = (resolvedAt: string) => ({ ...fromDelegation('B-3'), resolvedAt });
		const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', policyScope: 'batch', status: 'resolved', outcome: { resolvedAt: '={{ $json.resolvedAt }}' } }), {
			items: [item('2026-11-20T10:00:00.000Z'), item('soon')],
		});
		expect(run.error('Log')?.message).toBe('Item 1: "Resolved At" is not a date: "soon"');
		expect((await ledger.decisionsOf('batch', 'B-3'))[0].status).toBe('routed');
	});

	it('a date that does not parse is refused, naming the item and the field', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'resolved', outcome: { resolvedAt: 'yesterday-ish' } }), {
			items: [fromDelegation('T-2')],
		});
		expect(run.error('Log')?.message).toBe('Item 0: "Resolved At" is not a date: "yesterday-ish"');
	});
});

describe('Delegation Log: reading the ledger', () => {
	it('gets every decision of a ticket, oldest first, re-route linked to the first', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'getDecisions' }), { items: [fromDelegation('T-4')] });
		const decisions = run.output('Log').map((i) => i.json);
		expect(decisions.map((d) => [d.vendor, d.status, d.previousId])).toEqual([
			['acme', 'returned', null],
			['bolt', 'routed', 'T-4-a'],
		]);
	});

	it('lists delegations newest first with filters and a limit', async () => {
		const acme = await runWorkflow(logWorkflow({ operation: 'list', filters: { vendor: 'acme' }, returnAll: true }));
		expect(acme.output('Log').map((i) => i.json.ticketId)).toEqual(['T-4', 'T-1', 'T-5']);
		const recent = await runWorkflow(
			logWorkflow({ operation: 'list', filters: { kind: 'external', from: new Date(now - DAY).toISOString() }, limit: 2 }),
		);
		expect(recent.output('Log').map((i) => [i.json.ticketId, i.json.vendor])).toEqual([
			['T-4', 'bolt'],
			['T-4', 'acme'],
		]);
		const overflow = await runWorkflow(logWorkflow({ operation: 'list', filters: { reason: 'overflow', status: ['routed'] }, returnAll: true }));
		expect(overflow.output('Log').map((i) => i.json.ticketId)).toEqual(['T-4']);
	});

	it('pages through more rows than one ledger page: return all, or exactly the limit', async () => {
		const all = await runWorkflow(logWorkflow({ operation: 'list', policyScope: 'bulk', returnAll: true }));
		expect(all.output('Log')).toHaveLength(2500);
		expect(new Set(all.output('Log').map((i) => i.json.id)).size).toBe(2500);
		const some = await runWorkflow(logWorkflow({ operation: 'list', policyScope: 'bulk', limit: 1200 }));
		expect(some.output('Log')).toHaveLength(1200);
	});

	it('an empty policy scope lists every scope', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'list', policyScope: '', filters: { vendor: 'cura' }, limit: 5 }));
		expect(run.output('Log').map((i) => i.json.scope)).toEqual(['bulk', 'bulk', 'bulk', 'bulk', 'bulk']);
	});

	it("lists a vendor's open delegations for recall", async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'listOpen', vendor: 'bolt', returnAll: true }));
		// T-2 was accepted above, T-4's second decision is routed: both still bolt's work.
		expect(run.output('Log').map((i) => [i.json.ticketId, i.json.status])).toEqual([
			['T-4', 'routed'],
			['T-2', 'accepted'],
		]);
		const acme = await runWorkflow(logWorkflow({ operation: 'listOpen', vendor: 'acme', returnAll: true }));
		// T-1 resolved, T-4 returned: only the old T-5 is still open at acme.
		expect(acme.output('Log').map((i) => i.json.ticketId)).toEqual(['T-5']);
	});

	it('summarizes a window: counts, shares and cost per vendor and per reason', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'summarize', windowDays: 30 }));
		const [summary] = run.output('Log').map((i) => i.json);
		expect(summary).toMatchObject({ tickets: 5, internal: 1, delegated: 4, cost: 18 });
		expect(summary.byVendor).toEqual([
			{ vendor: 'acme', tickets: 2, share: 0.5, shareOfAll: 0.4, cost: 12, shareOfCost: 12 / 18 },
			{ vendor: 'bolt', tickets: 2, share: 0.5, shareOfAll: 0.4, cost: 6, shareOfCost: 6 / 18 },
		]);
		expect(summary.byReason).toEqual([
			{ reason: 'overflow', tickets: 3, internal: 0, delegated: 3, cost: 12 },
			{ reason: 'keepInternal', tickets: 1, internal: 1, delegated: 0, cost: 0 },
			{ reason: 'specialist', tickets: 1, internal: 0, delegated: 1, cost: 6 },
		]);
		expect((summary.window as IDataObject).days).toBe(30);
	});
});

describe('Delegation Log: export', () => {
	it('CSV: a header row and one line per matching delegation, as binary data', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'export', format: 'csv', filters: { vendor: 'acme' }, returnAll: true, fileName: 'acme.csv' }));
		const [item] = run.output('Log');
		expect(item.json).toEqual({ rows: 3, format: 'csv', fileName: 'acme.csv' });
		expect(item.binary!.data).toMatchObject({ mimeType: 'text/csv', fileName: 'acme.csv' });
		const lines = Buffer.from(item.binary!.data.data, 'base64').toString('utf8').trimEnd().split('\r\n');
		expect(lines[0].startsWith('id,scope,ticketId,decidedAt,destination,kind,vendor,')).toBe(true);
		expect(lines).toHaveLength(4);
		expect(lines[1]).toContain(',T-4,');
		expect(lines[1]).toContain(',returned,');
	});

	it('JSON: the same records as an array', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'export', format: 'json', policyScope: 'bulk', limit: 10 }));
		const [item] = run.output('Log');
		expect(item.binary!.data.mimeType).toBe('application/json');
		expect(item.binary!.data.fileName).toMatch(/^delegations-\d{4}-\d\d-\d\d\.json$/);
		const records = JSON.parse(Buffer.from(item.binary!.data.data, 'base64').toString('utf8'));
		expect(records).toHaveLength(10);
		expect(records[0]).toMatchObject({ scope: 'bulk', vendor: 'cura', decidedAt: expect.stringMatching(/Z$/) });
	});
});

describe('Delegation Log: ledger faults', () => {
	const corrupt = join(mkdtempSync(join(tmpdir(), 'sd-delegation-log-corrupt-')), 'ledger.sqlite');
	writeFileSync(corrupt, 'this is not a database, it is a text file that happens to end in .sqlite\n'.repeat(100));

	it('a corrupt ledger file fails the node with the file path', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'getDecisions', ledgerFile: corrupt }), { items: [fromDelegation('T-1')] });
		expect(run.status).toBe('error');
		const error = run.error('Log') as Error & { description?: string };
		expect(`${error.message} ${error.description ?? ''}`).toContain(corrupt);
	});

	it('under Continue On Fail every item goes out with the reason, none is lost', async () => {
		const run = await runWorkflow(logWorkflow({ operation: 'recordOutcome', status: 'resolved', ledgerFile: corrupt }, { onError: 'continueRegularOutput' }), {
			items: [fromDelegation('T-1'), fromDelegation('T-2')],
		});
		expect(run.status).toBe('success');
		const out = run.output('Log');
		expect(out.map((i) => i.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		for (const item of out) expect(String(item.json.error)).toContain(corrupt);
	});
});
