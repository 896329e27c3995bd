import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import type { NewDelegation } from '../../ledger/model';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { write } from './contract';
import { DAY, HOUR, NOW, decision, request } from './fixtures';
import { insertIntoPostgres, insertIntoSqlite } from './older-rows';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

const unavailable = postgresUnavailable();

/**
 * Ticket ids and vendors that a locale would sort or fold together and byte order keeps apart, written by schema
 * version 7: after migration 8 each is still found as itself, by ticket and by vendor, and internal decisions (no
 * vendor) are still listed.
 */
const TICKETS = ['Straße-1', 'STRASSE-1', 'straße-1', 'é-2', 'e\u0301-2', 'Ticket-10', 'ticket-10', 'ticket-9'];
function rows(): NewDelegation[] {
	return TICKETS.map((ticketId, i) =>
		i % 2 === 0
			? decision({ ticketId, vendor: i % 4 === 0 ? 'Ärger GmbH' : 'ärger gmbh', destination: 'v', kind: 'external' })
			: decision({ ticketId, vendor: null, contract: null, destination: 'tier1', kind: 'internal', reason: 'default' }),
	);
}

async function expectEveryRowFound(ledger: Ledger, written: NewDelegation[]) {
	for (const r of written) expect((await ledger.decisionsOf('support', r.ticketId)).map((d) => d.id)).toEqual([r.id]);
	// The snapshot reads the requested tickets' open decisions through the ticket index.
	const snapshot = await ledger.snapshot('support', request({ ticketIds: TICKETS }));
	expect(Object.keys(snapshot.open).sort()).toEqual([...TICKETS].sort());
	for (const vendor of ['Ärger GmbH', 'ärger gmbh']) {
		const listed = (await ledger.list({ scope: 'support', vendor })).rows.map((d) => d.ticketId).sort();
		expect(listed).toEqual(written.filter((r) => r.vendor === vendor).map((r) => r.ticketId).sort());
	}
	expect((await ledger.list({ scope: 'support', kind: 'internal' })).rows).toHaveLength(written.filter((r) => r.kind === 'internal').length);
}

describe('ledger migration 8 (vendor index without internal decisions), embedded ledger', () => {
	it('a version-7 file keeps finding every decision by ticket and vendor, through a vendor index of vendor rows only', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate8-')), 'v7.sqlite');
		const written = rows();
		await (await SqliteLedger.open(file, { schemaVersion: 7 })).close();
		insertIntoSqlite(file, written);

		const ledger = await SqliteLedger.open(file);
		try {
			await expectEveryRowFound(ledger, written);
		} finally {
			await ledger.close();
		}
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			const { sql } = db.prepare(`SELECT sql FROM sqlite_master WHERE name = 'delegations_vendor'`).get() as { sql: string };
			expect(sql).toMatch(/WHERE vendor IS NOT NULL$/);
			// A lookup by vendor still goes through it.
			const plan = db.prepare(`EXPLAIN QUERY PLAN SELECT id FROM delegations WHERE vendor = ? ORDER BY decided_at DESC`).all('x');
			expect(plan.map((r) => String(r.detail)).join('\n')).toMatch(/USING INDEX delegations_vendor/);
		} finally {
			db.close();
		}
	});
});

describe.skipIf(unavailable !== null)('ledger migration 8 (byte-order ids, vendor index without internal decisions), PostgreSQL', () => {
	const schemas: string[] = [];
	afterAll(() => dropSchemas(schemas));

	it('a version-7 schema keeps finding every decision by ticket and vendor; ids compare in byte order; plans use the indexes', async () => {
		const schema = uniqueSchema('migrate8');
		schemas.push(schema);
		const written = rows();
		await (await openPostgres(schema, 7)).close();
		await insertIntoPostgres(schema, written);

		const ledger = await openPostgres(schema);
		const client = new Client(PG);
		await client.connect();
		try {
			await expectEveryRowFound(ledger, written);
			const { rows: columns } = await client.query(
				`SELECT column_name, collation_name FROM information_schema.columns
				WHERE table_schema = $1 AND table_name = 'delegations' AND column_name IN ('id', 'scope', 'ticket_id', 'vendor') ORDER BY 1`,
				[schema],
			);
			expect(columns).toEqual(['id', 'scope', 'ticket_id', 'vendor'].map((column_name) => ({ column_name, collation_name: 'C' })));
			const { rows: index } = await client.query(`SELECT indexdef FROM pg_indexes WHERE schemaname = $1 AND indexname = 'delegations_vendor'`, [schema]);
			expect(index[0].indexdef).toMatch(/WHERE \(vendor IS NOT NULL\)$/);
			// With sequential scans priced out, each lookup can use its index: equality on a parameter under the columns'
			// own collation (a locale-collated index would not serve a byte-order comparison, and the reverse).
			await client.query('BEGIN');
			await client.query('SET LOCAL enable_seqscan = off');
			const plan = async (sql: string, params: unknown[]) =>
				(await client.query(`EXPLAIN ${sql}`, params)).rows.map((r: Record<string, string>) => r['QUERY PLAN']).join('\n');
			expect(await plan(`SELECT id FROM "${schema}".delegations WHERE vendor = $1 ORDER BY decided_at DESC`, ['x'])).toMatch(/delegations_vendor/);
			expect(await plan(`SELECT id FROM "${schema}".delegations WHERE scope = $1 AND ticket_id = $2 AND head`, ['support', 'x'])).toMatch(
				/delegations_ticket/,
			);
			await client.query('ROLLBACK');
		} finally {
			await client.end();
			await ledger.close();
		}
	});
});

describe('ledger migration 11 (time index covering the windows\' edge reads), embedded ledger', () => {
	it('a version-10 file counts the same rows at the windows\' edges, read from the index alone', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate11-')), 'v10.sqlite');
		// acme: one ms inside the hour, exactly an hour old (out of the hour, in the day), one ms inside the day;
		// an internal decision one ms inside the 2-hour internal window.
		const acme = (ticketId: string, decidedAt: number, costEstimate: number) => decision({ ticketId, decidedAt, costEstimate });
		const written = [
			acme('h-inside', NOW - HOUR + 1, 1),
			acme('h-edge', NOW - HOUR, 2),
			acme('d-inside', NOW - DAY + 1, 4),
			decision({ ticketId: 'i-inside', vendor: null, contract: null, destination: 'tier1', kind: 'internal', reason: 'default', decidedAt: NOW - 2 * HOUR + 1 }),
		];
		const old = await SqliteLedger.open(file, { schemaVersion: 10 });
		try {
			await write(old, written);
		} finally {
			await old.close();
		}

		const ledger = await SqliteLedger.open(file);
		try {
			const snapshot = await ledger.snapshot('support', request({ vendors: ['acme'], internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY, monthStart: NOW - 30 * DAY }));
			expect(snapshot.vendors.acme).toEqual({ lastHour: 1, lastDay: 3, thisMonth: 3, costThisMonth: 7, inShareWindow: 3 });
			expect(snapshot.internalInWindow).toBe(1);
		} finally {
			await ledger.close();
		}
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			const columns = db.prepare(`SELECT name FROM pragma_index_info('delegations_time') ORDER BY seqno`).all().map((r) => r.name);
			expect(columns).toEqual(['decided_at', 'scope', 'kind', 'vendor', 'cost_estimate']);
			const plan = db
				.prepare(`EXPLAIN QUERY PLAN SELECT kind, coalesce(vendor, ''), cost_estimate FROM delegations INDEXED BY delegations_time
					WHERE scope = ? AND decided_at >= ? AND decided_at < ?`)
				.all('support', 0, 1);
			expect(plan.map((r) => String(r.detail)).join('\n')).toMatch(/USING COVERING INDEX delegations_time/);
		} finally {
			db.close();
		}
	});
});
