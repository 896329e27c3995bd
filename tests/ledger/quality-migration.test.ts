import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';

import { SQLITE_SCHEMA_VERSION } from '../../ledger/sqlite/migrations';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { sqliteQualitySql } from '../../ledger/sqlite/quality-sql';
import { decision, NOW } from './fixtures';

describe('ledger migration 7 (quality guardrails), embedded ledger', () => {
	it('a version-4 file gains the finished-delegations index and the state table; outcomes recorded before count', async () => {
		const file = join(mkdtempSync(join(tmpdir(), 'sd-quality-migrate-')), 'v4.sqlite');
		await (await SqliteLedger.open(file, { schemaVersion: 4 })).close();
		// Rows and outcomes as version-4 code left them.
		const raw = new DatabaseSync(file);
		const insert = raw.prepare(
			`INSERT INTO delegations (id, scope, ticket_id, decided_at, destination, kind, vendor, reason, policy_version, status, sla_met)
			VALUES (?, 'support', ?, ?, 'acme', 'external', 'acme', 'specialist', 'v1', ?, ?)`,
		);
		const outcomes: Array<[string, number | null]> = [['resolved', 1], ['resolved', 0], ['returned', null], ['routed', null]];
		outcomes.forEach(([status, slaMet], k) => insert.run(decision().id, `Q-${k}`, NOW - k * 60_000, status, slaMet));
		raw.close();

		const ledger = await SqliteLedger.open(file);
		try {
			// Q-3 is still open: three finished, one returned, one of two SLA outcomes met.
			expect(await ledger.quality('support', [{ vendor: 'acme', from: 0, to: Number.MAX_SAFE_INTEGER, limit: null }])).toEqual({
				acme: { closed: 3, returned: 1, slaKnown: 2, slaMet: 1, outcomeKnown: 0, reopened: 0, csatSum: 0, csatCount: 0 },
			});
		} finally {
			await ledger.close();
		}
		const db = new DatabaseSync(file, { readOnly: true });
		try {
			expect(db.prepare('SELECT max(version) AS v FROM schema_version').get()).toEqual({ v: SQLITE_SCHEMA_VERSION });
			expect(db.prepare(`SELECT count(*) AS n FROM sqlite_master WHERE name = 'quality_state'`).get()).toEqual({ n: 1 });
			// The batch's read walks the partial index, never the vendor's open work or the whole table.
			const plan = (limited: boolean, ...params: Array<string | number>) =>
				db.prepare(`EXPLAIN QUERY PLAN ${sqliteQualitySql(true, limited)}`).all(...params).map((r) => String(r.detail)).join('\n');
			expect(plan(true, 'acme', 0, 1, 20, 'support')).toMatch(/USING (COVERING )?INDEX delegations_closed/);
			// A window is summed from the index alone.
			expect(plan(false, 'acme', 0, 1, 'support')).toMatch(/USING COVERING INDEX delegations_closed/);
		} finally {
			db.close();
		}
	});
});
