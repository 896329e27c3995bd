import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** This machine's PostgreSQL for the ledger tests (trust auth, database `test`), as n8n's built-in credential data. */
export const LEDGER_DATABASE = {
	host: process.env.PGHOST ?? '127.0.0.1',
	port: Number(process.env.PGPORT ?? 5432),
	database: process.env.SD_TEST_PG_DATABASE ?? 'test',
	user: process.env.PGUSER ?? 'postgres',
	password: process.env.PGPASSWORD ?? '',
};

/** A schema name of its own per run, so runs never see each other's rows; drop it when done. */
export function uniqueSchema(prefix = 'sd_e2e'): string {
	return `${prefix}_${randomBytes(4).toString('hex')}`;
}

export async function withPostgres<T>(work: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ ...LEDGER_DATABASE, password: LEDGER_DATABASE.password || undefined });
	await client.connect();
	try {
		return await work(client);
	} finally {
		await client.end();
	}
}
