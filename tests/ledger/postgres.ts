import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Client, type ClientConfig } from 'pg';

import { PostgresLedger } from '../../ledger/postgres/postgres-ledger';

/** The machine's PostgreSQL (trust auth, database `test`); PGHOST/PGPORT/PGUSER/PGDATABASE override. */
export const PG: ClientConfig = {
	host: process.env.PGHOST ?? '127.0.0.1',
	port: Number(process.env.PGPORT ?? 5432),
	user: process.env.PGUSER ?? 'postgres',
	database: process.env.PGDATABASE ?? 'test',
	password: process.env.PGPASSWORD,
};

/**
 * Null when PostgreSQL answers; otherwise why not, printed loudly. In CI an unreachable server fails instead.
 * Synchronous (a short child process) so suites can be declared skipped while vitest collects them.
 */
export function postgresUnavailable(): string | null {
	const probe = spawnSync(
		process.execPath,
		[
			'-e',
			`const { Client } = require('pg');
			const c = new Client({ ...JSON.parse(process.argv[1]), connectionTimeoutMillis: 3000 });
			c.connect().then(() => c.query('SELECT 1')).then(() => c.end(), (e) => { console.error(e.message); process.exit(1); });`,
			JSON.stringify(PG),
		],
		{ cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 10_000 },
	);
	if (probe.status === 0) return null;
	const reason = `PostgreSQL at ${PG.host}:${PG.port}/${PG.database} (user ${PG.user}) is not reachable: ${(probe.stderr || probe.error?.message || 'no answer').trim()}`;
	if (process.env.CI === 'true') assert.fail(`${reason}. CI requires the PostgreSQL suites.`);
	console.warn(`\n\u26a0  SKIPPING PostgreSQL ledger tests: ${reason}\n`);
	return reason;
}

/** A schema name unique to this test process, so parallel test files never share tables. */
export function uniqueSchema(label: string): string {
	return `sd_test_${label}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
}

export async function openPostgres(schema: string, schemaVersion?: number) {
	return PostgresLedger.open({ connection: PG, schema, schemaVersion });
}

export async function dropSchemas(schemas: string[]) {
	const client = new Client(PG);
	await client.connect();
	try {
		for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
	} finally {
		await client.end();
	}
}
