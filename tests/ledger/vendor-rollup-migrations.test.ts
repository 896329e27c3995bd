import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { matching, write } from './contract';
import { DAY, HOUR, NOW, mixedDecisions, request } from './fixtures';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

const unavailable = postgresUnavailable();

/**
 * Migrations 9 and 10 add the vendor-day and vendor ten-minute rollups: a ledger written before them (hour cells only)
 * gets day cells that sum its hour cells and ten-minute cells that count its decisions, and its snapshots, which now
 * read whole days and ten-minute cells from them, count exactly what the decisions say. The "before" ledger is a current
 * one with both rollups and their version rows removed: version 8 wrote everything else as today's code does.
 */
const rows = mixedDecisions(900, 909);
const TEN = 600_000;
const DAY_SUMS = `SELECT scope, (hour / ${DAY}) * ${DAY} AS day, kind, vendor, sum(count) AS count, round(sum(cost) * 1e6) AS cost
	FROM delegation_vendor_hours GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const DAY_CELLS = `SELECT scope, day, kind, vendor, count, round(cost * 1e6) AS cost FROM delegation_vendor_days ORDER BY 1, 2, 3, 4`;
const TEN_SUMS = `SELECT scope, (decided_at / ${TEN}) * ${TEN} AS start, kind, coalesce(vendor, '') AS vendor, count(*) AS count,
	round(sum(cost_estimate) * 1e6) AS cost FROM delegations GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4`;
const TEN_CELLS = `SELECT scope, start, kind, vendor, count, round(cost * 1e6) AS cost FROM delegation_vendor_tens ORDER BY 1, 2, 3, 4`;
// A current ledger taken back to version 8: what migrations 9 on added is removed (SQLite's 11 only rebuilds an index).
const BEFORE_9 = [
	'DROP TABLE delegation_vendor_days',
	'DROP TABLE delegation_vendor_tens',
	'ALTER TABLE callback_receipts DROP COLUMN report_hash',
	'DELETE FROM schema_version WHERE version >= 9',
].join('; ');

async function expectSnapshotsLikeTheReference(ledger: Ledger) {
	const reference = new MemoryLedger();
	reference.seed(rows);
	// Windows from an hour to past a month, ending on and off hour and day bounds.
	for (const now of [NOW, Math.floor(NOW / DAY) * DAY, Math.floor(NOW / DAY) * DAY - 1, NOW - 9 * DAY + 17 * HOUR + 5]) {
		for (const shareWindowMs of [DAY, 7 * DAY, 30 * DAY + 1234]) {
			for (const scope of ['support', 'sales']) {
				const req = request({ now, shareWindowMs, monthStart: Date.UTC(2026, new Date(now).getUTCMonth(), 1) });
				expect(await ledger.snapshot(scope, req), `${scope} at ${new Date(now).toISOString()}`).toEqual(matching(await reference.snapshot(scope, req)));
			}
		}
	}
}

describe('ledger migrations 9 and 10 (vendor-day and ten-minute rollups), embedded ledger', () => {
	it('a version-8 file gets day cells summing its hour cells and ten-minute cells counting its decisions, and its snapshots count like the decisions', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate9-')), 'v8.sqlite');
		const current = await SqliteLedger.open(file);
		await write(current, rows);
		await current.close();
		const db = new DatabaseSync(file);
		db.exec(BEFORE_9);
		db.close();

		const ledger = await SqliteLedger.open(file);
		try {
			const check = new DatabaseSync(file, { readOnly: true });
			const days = check.prepare(DAY_CELLS).all();
			expect(days.length).toBeGreaterThan(40);
			expect(days).toEqual(check.prepare(DAY_SUMS).all());
			const tens = check.prepare(TEN_CELLS).all();
			expect(tens.length).toBeGreaterThan(400);
			expect(tens).toEqual(check.prepare(TEN_SUMS).all());
			check.close();
			await expectSnapshotsLikeTheReference(ledger);
		} finally {
			await ledger.close();
		}
	});
});

describe.skipIf(unavailable !== null)('ledger migrations 9 and 10 (vendor-day and ten-minute rollups), PostgreSQL', () => {
	const schemas: string[] = [];
	afterAll(() => dropSchemas(schemas));

	it('a version-8 schema gets day cells summing its hour cells and ten-minute cells counting its decisions, and its snapshots count like the decisions', async () => {
		const schema = uniqueSchema('migrate9');
		schemas.push(schema);
		const current = await openPostgres(schema);
		await write(current, rows);
		await current.close();
		const client = new Client(PG);
		await client.connect();
		try {
			await client.query(`SET search_path TO "${schema}"`);
			await client.query(BEFORE_9);

			const ledger = await openPostgres(schema);
			try {
				const numbers = (r: Record<string, unknown>) => ({ ...r, day: Number(r.day), count: Number(r.count), cost: Number(r.cost) });
				const days = (await client.query(DAY_CELLS)).rows.map(numbers);
				expect(days.length).toBeGreaterThan(40);
				expect(days).toEqual((await client.query(DAY_SUMS)).rows.map(numbers));
				const tenNumbers = (r: Record<string, unknown>) => ({ ...r, start: Number(r.start), count: Number(r.count), cost: Number(r.cost) });
				const tens = (await client.query(TEN_CELLS)).rows.map(tenNumbers);
				expect(tens.length).toBeGreaterThan(400);
				expect(tens).toEqual((await client.query(TEN_SUMS)).rows.map(tenNumbers));
				await expectSnapshotsLikeTheReference(ledger);
			} finally {
				await ledger.close();
			}
		} finally {
			await client.end();
		}
	});
});
