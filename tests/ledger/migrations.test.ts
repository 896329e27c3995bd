import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { SQLITE_SCHEMA_VERSION } from '../../ledger/sqlite/migrations';
import { POSTGRES_SCHEMA_VERSION } from '../../ledger/postgres/migrations';
import type { NewDelegation } from '../../ledger/model';
import { matching, write } from './contract';
import { DAY, NOW, mixedDecisions, request } from './fixtures';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/**
 * A ledger written by schema version 1 (rows only, no rollups) is opened by the current code: it is migrated in
 * place, keeps every row, and its rollups are backfilled so snapshots and aggregates count the old rows.
 */
async function expectMigrated(ledger: Ledger, rows: NewDelegation[]) {
	const reference = new MemoryLedger();
	reference.seed(rows);
	const byId = (a: { id: string }, b: { id: string }) => (a.id < b.id ? -1 : 1);
	expect((await ledger.list({ limit: 10_000 })).rows.sort(byId)).toEqual((await reference.list({ limit: 10_000 })).rows.sort(byId));
	const req = request({ now: NOW - 2 * DAY });
	expect(await ledger.snapshot('support', req)).toEqual(matching(await reference.snapshot('support', req)));
	const total = (groups: Array<{ count: number }>) => groups.reduce((n, g) => n + g.count, 0);
	expect(total(await ledger.aggregate(null, NOW - 30 * DAY, NOW))).toBe(total(await reference.aggregate(null, NOW - 30 * DAY, NOW)));
	expect((await ledger.aggregate('sales', NOW - 30 * DAY, NOW)).length).toBe(
		(await reference.aggregate('sales', NOW - 30 * DAY, NOW)).length,
	);
	// And it keeps working as a current ledger.
	await ledger.routeBatch('support', request(), () => ({ rows: [], overflowActive: { peak: true }, result: null }));
}

describe('SQLite schema migrations', () => {
	it('migrates a version-1 file in place and backfills the rollups', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate-')), 'old.sqlite');
		const rows = mixedDecisions(400, 3);
		const old = SqliteLedger.open(file, { schemaVersion: 1 });
		const db = new DatabaseSync(file);
		const insert = db.prepare(
			`INSERT INTO delegations (id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason, rule_id,
			guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id, execution_id, previous_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		);
		for (const r of rows) {
			insert.run(r.id, r.scope, r.ticketId, r.decidedAt, r.destination, r.kind, r.vendor, r.contract, r.reason, r.ruleId,
				r.guardrail, r.policyVersion, r.channel, r.language, r.topic, r.priority, r.costEstimate, r.workflowId,
				r.executionId, r.previousId);
		}
		db.close();
		await old.close();

		const ledger = SqliteLedger.open(file);
		try {
			const check = new DatabaseSync(file, { readOnly: true });
			expect(check.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SQLITE_SCHEMA_VERSION });
			check.close();
			await expectMigrated(ledger, rows);
		} finally {
			await ledger.close();
		}
	});

	it('refuses a file written by a newer package rather than guessing', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate-')), 'new.sqlite');
		await SqliteLedger.open(file).close();
		const db = new DatabaseSync(file);
		db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(SQLITE_SCHEMA_VERSION + 1, Date.now());
		db.close();
		expect(() => SqliteLedger.open(file)).toThrow(/newer than this package understands.*forward-only/);
	});
});

const unavailable = postgresUnavailable();

describe.skipIf(unavailable !== null)('PostgreSQL schema migrations', () => {
	const schemas: string[] = [];
	afterAll(() => dropSchemas(schemas));

	it('migrates a version-1 schema in place and backfills the rollups', async () => {
		const schema = uniqueSchema('migrate');
		schemas.push(schema);
		const rows = mixedDecisions(400, 5);
		await (await openPostgres(schema, 1)).close();
		const client = new Client(PG);
		await client.connect();
		try {
			for (const r of rows) {
				await client.query(
					`INSERT INTO "${schema}".delegations (id, scope, ticket_id, decided_at, destination, kind, vendor, contract,
					reason, rule_id, guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id,
					execution_id, previous_id)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
					[r.id, r.scope, r.ticketId, r.decidedAt, r.destination, r.kind, r.vendor, r.contract, r.reason, r.ruleId,
						r.guardrail, r.policyVersion, r.channel, r.language, r.topic, r.priority, r.costEstimate, r.workflowId,
						r.executionId, r.previousId],
				);
			}
			const ledger = await openPostgres(schema);
			try {
				const { rows: version } = await client.query(`SELECT max(version) AS v FROM "${schema}".schema_version`);
				expect(version[0].v).toBe(POSTGRES_SCHEMA_VERSION);
				await expectMigrated(ledger, rows);
			} finally {
				await ledger.close();
			}
		} finally {
			await client.end();
		}
	});

	it('writes through new batches after migrating (rollups stay consistent)', async () => {
		const schema = uniqueSchema('migrate2');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		try {
			const rows = mixedDecisions(50, 11);
			await write(ledger, rows);
			expect((await ledger.list({ limit: 100 })).rows).toHaveLength(50);
		} finally {
			await ledger.close();
		}
	});
});
