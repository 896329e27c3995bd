import { DatabaseSync } from 'node:sqlite';
import { Client } from 'pg';

import type { NewDelegation } from '../../ledger/model';
import { ROUTED_COLUMNS } from '../../ledger/sql/columns';
import { PG } from './postgres';

/**
 * Decisions put straight into the `delegations` table of a ledger left at an older schema version (the test hook
 * `schemaVersion`), as that version held them: today's write path also fills tables the older version lacks. Rows
 * only, each its ticket's current decision, no rollups: for tests that look decisions up after a migration.
 */
const columns = ROUTED_COLUMNS.map((c) => c.column).join(', ');
const values = (r: NewDelegation) => ROUTED_COLUMNS.map(({ field }) => r[field] ?? null);

export function insertIntoSqlite(file: string, rows: readonly NewDelegation[]) {
	const db = new DatabaseSync(file);
	try {
		const insert = db.prepare(`INSERT INTO delegations (${columns}) VALUES (${ROUTED_COLUMNS.map(() => '?').join(', ')})`);
		for (const r of rows) insert.run(...values(r));
	} finally {
		db.close();
	}
}

export async function insertIntoPostgres(schema: string, rows: readonly NewDelegation[]) {
	const client = new Client(PG);
	await client.connect();
	try {
		const params = ROUTED_COLUMNS.map(({ type }, i) => `$${i + 1}::${type}`).join(', ');
		for (const r of rows) await client.query(`INSERT INTO "${schema}".delegations (${columns}) VALUES (${params})`, values(r));
	} finally {
		await client.end();
	}
}
