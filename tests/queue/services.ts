import { execFileSync } from 'node:child_process';
import { Client } from 'pg';

/** The machine's PostgreSQL (trust auth) and Redis, as CI provides them. */
export const PG = { host: '127.0.0.1', port: 5432, user: 'postgres' } as const;
export const REDIS = { host: '127.0.0.1', port: 6379 } as const;

async function admin<T>(fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ ...PG, database: 'postgres' });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

function assertIdentifier(name: string): string {
	// Database names are built from a run id; refuse anything that would need quoting.
	if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`unsafe database name: ${name}`);
	return name;
}

export async function createDatabase(name: string): Promise<void> {
	await admin((c) => c.query(`CREATE DATABASE ${assertIdentifier(name)}`));
}

/** Drops a database even while a crashed process still holds connections to it. */
export async function dropDatabase(name: string): Promise<void> {
	await admin((c) => c.query(`DROP DATABASE IF EXISTS ${assertIdentifier(name)} WITH (FORCE)`));
}

export async function withDatabase<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T> {
	const client = new Client({ ...PG, database });
	await client.connect();
	try {
		return await fn(client);
	} finally {
		await client.end();
	}
}

/** Removes every Bull key of one run (its queue, jobs, locks) so runs never see each other's jobs. */
export function clearRedisPrefix(prefix: string): void {
	if (!/^[A-Za-z0-9_-]+$/.test(prefix)) throw new Error(`unsafe Redis prefix: ${prefix}`);
	const keys = execFileSync('redis-cli', ['-h', REDIS.host, '-p', String(REDIS.port), '--scan', '--pattern', `${prefix}*`], {
		encoding: 'utf8',
	})
		.split('\n')
		.filter(Boolean);
	for (let i = 0; i < keys.length; i += 500) {
		execFileSync('redis-cli', ['-h', REDIS.host, '-p', String(REDIS.port), 'DEL', ...keys.slice(i, i + 500)]);
	}
}
