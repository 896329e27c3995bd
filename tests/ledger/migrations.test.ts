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
		const old = await SqliteLedger.open(file, { schemaVersion: 1 });
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

		const ledger = await SqliteLedger.open(file);
		try {
			const check = new DatabaseSync(file, { readOnly: true });
			expect(check.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SQLITE_SCHEMA_VERSION });
			check.close();
			await expectMigrated(ledger, rows);
		} finally {
			await ledger.close();
		}
	});

	it('migrates a version-3 file to 4: rows keep their data with no matched terms, new rows store theirs', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate-')), 'v3.sqlite');
		const rows = mixedDecisions(50, 21);
		await (await SqliteLedger.open(file, { schemaVersion: 3 })).close();
		// Rows as version-3 code wrote them: the table has no matched column yet.
		const raw = new DatabaseSync(file);
		expect(raw.prepare(`SELECT count(*) AS n FROM pragma_table_info('delegations') WHERE name = 'matched'`).get()).toEqual({ n: 0 });
		const insert = raw.prepare(
			`INSERT INTO delegations (id, scope, ticket_id, decided_at, destination, kind, vendor, contract, reason, rule_id,
			guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id, execution_id, previous_id)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		);
		for (const r of rows) {
			insert.run(r.id, r.scope, r.ticketId, r.decidedAt, r.destination, r.kind, r.vendor, r.contract, r.reason, r.ruleId,
				r.guardrail, r.policyVersion, r.channel, r.language, r.topic, r.priority, r.costEstimate, r.workflowId,
				r.executionId, r.previousId);
		}
		raw.close();

		const ledger = await SqliteLedger.open(file);
		try {
			const listed = (await ledger.list({ limit: 1000 })).rows;
			expect(listed).toHaveLength(50);
			expect(listed.every((r) => r.matched === null)).toBe(true);
			await ledger.routeBatch('support', request(), () => ({ rows: [{ ...rows[0], scope: 'support', id: 'new-1', ticketId: 'NEW-1', matched: '["tag:vip"]' }], overflowActive: {}, result: null }));
			expect((await ledger.decisionsOf('support', 'NEW-1'))[0].matched).toBe('["tag:vip"]');
		} finally {
			await ledger.close();
		}
	});

	it('refuses a file written by a newer package rather than guessing', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-migrate-')), 'new.sqlite');
		await (await SqliteLedger.open(file)).close();
		const db = new DatabaseSync(file);
		db.prepare('INSERT INTO schema_version (version, applied_at) VALUES (?, ?)').run(SQLITE_SCHEMA_VERSION + 1, Date.now());
		db.close();
		await expect(SqliteLedger.open(file)).rejects.toThrow(/newer than this package understands.*forward-only/);
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

	it('migrates a version-3 schema to 4: the matched column appears empty on old rows, new rows store theirs', async () => {
		const schema = uniqueSchema('migrate34');
		schemas.push(schema);
		await (await openPostgres(schema, 3)).close();
		const client = new Client(PG);
		await client.connect();
		try {
			const column = async () =>
				(await client.query(`SELECT count(*)::int AS n FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'delegations' AND column_name = 'matched'`, [schema])).rows[0].n;
			expect(await column()).toBe(0);
			const r = mixedDecisions(1, 31)[0];
			await client.query(
				`INSERT INTO "${schema}".delegations (id, scope, ticket_id, decided_at, destination, kind, vendor, contract,
				reason, rule_id, guardrail, policy_version, channel, language, topic, priority, cost_estimate, workflow_id,
				execution_id, previous_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)`,
				[r.id, r.scope, r.ticketId, r.decidedAt, r.destination, r.kind, r.vendor, r.contract, r.reason, r.ruleId,
					r.guardrail, r.policyVersion, r.channel, r.language, r.topic, r.priority, r.costEstimate, r.workflowId,
					r.executionId, r.previousId],
			);
			const ledger = await openPostgres(schema);
			try {
				expect(await column()).toBe(1);
				expect((await ledger.decisionsOf(r.scope, r.ticketId))[0].matched).toBeNull();
				await ledger.routeBatch('support', request(), () => ({ rows: [{ ...r, scope: 'support', id: 'new-1', ticketId: 'NEW-1', matched: '["tag:vip"]' }], overflowActive: {}, result: null }));
				expect((await ledger.decisionsOf('support', 'NEW-1'))[0].matched).toBe('["tag:vip"]');
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
