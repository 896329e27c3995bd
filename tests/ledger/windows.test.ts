import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import type { AggregateRow } from '../../ledger/model';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { write } from './contract';
import { DAY, HOUR, NOW, decision, recordOne, request } from './fixtures';
import { dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/**
 * Guardrail windows worked out by hand, one row on each side of every edge, so every backend (the memory
 * reference included) is checked against arithmetic rather than against another backend.
 *
 * The rule, from SnapshotRequest: a row counts in a trailing window of length W when now - decidedAt < W
 * (rows stamped after now count too); the month counts rows from monthStart on; aggregate() reads [from, to).
 * NOW is 2026-03-15T10:17:23.456Z; the month started 2026-03-01T00:00Z.
 */
const MONTH_START = Date.UTC(2026, 2, 1);
const MINUTE = 60_000;

function rows() {
	const acme = (ticketId: string, decidedAt: number, costEstimate: number) => decision({ ticketId, decidedAt, costEstimate });
	return [
		acme('a1-now', NOW, 1), //                          hour, day, month, share
		acme('a2-hour-inside', NOW - HOUR + 1, 2), //        hour, day, month, share
		acme('a3-hour-edge', NOW - HOUR, 4), //               day, month, share (exactly one hour old: out of the hour)
		acme('a4-day-inside', NOW - DAY + 1, 8), //           day, month, share
		acme('a5-day-edge', NOW - DAY, 16), //                month, share
		acme('a6-month-start', MONTH_START, 32), //           month, share
		acme('a7-month-before', MONTH_START - 1, 64), //      share (Feb 28 23:59:59.999)
		acme('a8-share-inside', NOW - 30 * DAY + 1, 128), //  share (Feb 13)
		acme('a9-share-edge', NOW - 30 * DAY, 256), //        nothing
		acme('a10-future', NOW + 5 * MINUTE, 512), //         hour, day, month, share
		decision({ ticketId: 'g1', vendor: 'globex', destination: 'globex', decidedAt: NOW - 10 * MINUTE, costEstimate: 1000 }),
		internal('i1-inside', NOW - 2 * HOUR + 1), //        internal window (2 h)
		internal('i2-edge', NOW - 2 * HOUR), //              outside it
		decision({ ticketId: 's1', scope: 'sales', decidedAt: NOW - 1, costEstimate: 2048 }), // another scope
	];
}

function internal(ticketId: string, decidedAt: number) {
	return decision({ ticketId, decidedAt, kind: 'internal', vendor: null, destination: 'tier1', contract: null, reason: 'keepInternal', costEstimate: 0 });
}

/** Sums a vendor's groups (the grouping by dimension is not what this test is about). */
function totals(groups: AggregateRow[], vendor: string | null) {
	const sum = { count: 0, cost: 0, slaKnown: 0, slaMet: 0, reopened: 0, outcomeKnown: 0, csatSum: 0, csatCount: 0 };
	for (const g of groups) {
		if (g.vendor !== vendor) continue;
		for (const k of Object.keys(sum) as Array<keyof typeof sum>) sum[k] += g[k];
	}
	return sum;
}

function windows(name: string, open: () => Promise<Ledger>) {
	describe(`${name}: guardrail windows, by hand`, () => {
		const opened: Ledger[] = [];
		afterAll(async () => {
			for (const l of opened) await l.close();
		});
		const ready = async () => {
			const ledger = await open();
			opened.push(ledger);
			await write(ledger, rows());
			return ledger;
		};

		it('counts each vendor in the hour, the day, the month and the share window exactly at their edges', async () => {
			const ledger = await ready();
			const snapshot = await ledger.snapshot('support', request({ vendors: ['acme', 'globex', 'initech'], internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY, monthStart: MONTH_START }));
			expect(snapshot.vendors.acme).toEqual({
				lastHour: 3, // a1, a2, a10
				lastDay: 5, // + a3, a4
				thisMonth: 7, // + a5, a6
				costThisMonth: 575, // 1 + 2 + 4 + 8 + 16 + 32 + 512
				inShareWindow: 9, // a1..a8 and a10
			});
			expect(snapshot.vendors.globex).toEqual({ lastHour: 1, lastDay: 1, thisMonth: 1, costThisMonth: 1000, inShareWindow: 1 });
			expect(snapshot.vendors.initech).toEqual({ lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 });
			expect(snapshot.delegatedInShareWindow).toBe(10); // 9 acme + 1 globex; the sales row is another scope
			expect(snapshot.internalInWindow).toBe(1); // i1 only: i2 is exactly two hours old
		});

		it('moves every edge by one millisecond when now does', async () => {
			const ledger = await ready();
			// One ms later, the rows that sat one ms inside an edge are exactly on it, and drop out.
			const snapshot = await ledger.snapshot('support', request({ now: NOW + 1, vendors: ['acme'], internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY, monthStart: MONTH_START }));
			expect(snapshot.vendors.acme).toEqual({
				lastHour: 2, // a1, a10 (a2 is now exactly an hour old)
				lastDay: 4, // + a2, a3 (a4 is now exactly a day old)
				thisMonth: 7, // the month does not move
				costThisMonth: 575,
				inShareWindow: 8, // a8 left the share window
			});
			expect(snapshot.internalInWindow).toBe(0);
		});

		it('lists newest first, filters by kind, vendor and time, and pages through the same order', async () => {
			const ledger = await ready();
			const ids = async (filter: Parameters<Ledger['list']>[0]) => (await ledger.list(filter)).rows.map((r) => r.ticketId);
			const lastDay = { scope: 'support', from: NOW - DAY, to: NOW + 1 };
			// decidedAt: NOW, NOW-10m, NOW-1h+1, NOW-1h, NOW-2h+1, NOW-2h, NOW-1d+1, NOW-1d; a10 (future) is past `to`.
			expect(await ids(lastDay)).toEqual(['a1-now', 'g1', 'a2-hour-inside', 'a3-hour-edge', 'i1-inside', 'i2-edge', 'a4-day-inside', 'a5-day-edge']);
			expect(await ids({ ...lastDay, kind: 'internal' })).toEqual(['i1-inside', 'i2-edge']);
			expect(await ids({ ...lastDay, vendor: 'acme', limit: 100 })).toEqual(['a1-now', 'a2-hour-inside', 'a3-hour-edge', 'a4-day-inside', 'a5-day-edge']);
			const first = await ledger.list({ ...lastDay, limit: 3 });
			const second = await ledger.list({ ...lastDay, limit: 3, cursor: first.nextCursor ?? undefined });
			expect([...first.rows, ...second.rows].map((r) => r.ticketId)).toEqual(['a1-now', 'g1', 'a2-hour-inside', 'a3-hour-edge', 'i1-inside', 'i2-edge']);
			expect(await ids({ scope: 'sales' })).toEqual(['s1']);
		});

		it('aggregates [from, to) per vendor, with the outcome sums of the rows inside', async () => {
			const ledger = await ready();
			await recordOne(ledger, 'support', 'a2-hour-inside', { status: 'resolved', slaMet: true, csat: 4 });
			await recordOne(ledger, 'support', 'a3-hour-edge', { status: 'resolved', slaMet: false, csat: 2, reopened: true });
			await recordOne(ledger, 'support', 'a9-share-edge', { status: 'resolved', slaMet: true, csat: 5, reopened: false });
			const day = await ledger.aggregate('support', NOW - DAY, NOW);
			// [NOW - DAY, NOW): a2, a3, a4, a5 (from is inclusive); a1 sits on `to` and is out.
			expect(totals(day, 'acme')).toEqual({ count: 4, cost: 30, slaKnown: 2, slaMet: 1, reopened: 1, outcomeKnown: 1, csatSum: 6, csatCount: 2 });
			expect(totals(day, 'globex')).toMatchObject({ count: 1, cost: 1000, slaKnown: 0, csatCount: 0 });
			expect(totals(day, null)).toMatchObject({ count: 2 }); // i1 and i2
			// Every scope: the sales row one ms before NOW joins.
			expect(totals(await ledger.aggregate(null, NOW - DAY, NOW), 'acme')).toMatchObject({ count: 5, cost: 2078 });
			// a9 is the only row of this 1 ms range, with its outcome.
			expect(totals(await ledger.aggregate('support', NOW - 30 * DAY, NOW - 30 * DAY + 1), 'acme')).toEqual({
				count: 1,
				cost: 256,
				slaKnown: 1,
				slaMet: 1,
				reopened: 0,
				outcomeKnown: 1,
				csatSum: 5,
				csatCount: 1,
			});
			expect(await ledger.aggregate('support', NOW, NOW)).toEqual([]);
		});
	});
}

windows('memory', async () => new MemoryLedger());

const folder = mkdtempSync(join(tmpdir(), 'sd-ledger-windows-'));
let files = 0;
windows('sqlite', () => SqliteLedger.open(join(folder, `windows-${++files}.sqlite`)));

const unavailable = postgresUnavailable();
const schemas: string[] = [];
describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	afterAll(() => dropSchemas(schemas));
	windows('postgres', async () => {
		const schema = uniqueSchema('windows');
		schemas.push(schema);
		return openPostgres(schema);
	});
});
