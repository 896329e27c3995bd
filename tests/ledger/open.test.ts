import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions } from 'n8n-workflow';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';

import { LedgerUnavailableError } from '../../ledger/errors';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers, openLedger } from '../../nodes/shared/ledger/open';
import { ledgerFilePath } from '../../nodes/shared/ledger/location';
import { PG, dropSchemas, postgresUnavailable, uniqueSchema } from './postgres';

/** The slice of an execution context openLedger reads: the node's parameters, and their values for item 0. */
function context(parameters: Record<string, unknown>): IExecuteFunctions {
	return {
		getInputData: () => [],
		getNode: () => ({ name: 'Ledger test', typeVersion: 1, parameters: structuredClone(parameters) }),
		getNodeParameter: (name: string, _item: number, fallback?: unknown) => parameters[name] ?? fallback,
	} as unknown as IExecuteFunctions;
}

afterEach(async () => {
	vi.unstubAllEnvs();
	vi.restoreAllMocks();
	await closeLedgers();
});

describe('openLedger (embedded)', () => {
	it('creates the default file under the n8n user folder and shares one ledger per file', async () => {
		const a = await openLedger(context({}));
		const b = await openLedger(context({ ledger: 'embedded', ledgerFile: '' }));
		expect(a).toBe(b);
		expect(a.backend).toBe('sqlite');
		expect(a.location).toBe(join(process.env.N8N_USER_FOLDER!, '.n8n', 'support-delegation', 'ledger.sqlite'));
		expect(existsSync(a.location)).toBe(true);
	});

	it('honours the file parameter: absolute, relative to the default folder, and ~/', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'sd-open-'));
		const ledger = await openLedger(context({ ledgerFile: join(folder, 'team.sqlite') }));
		expect(ledger.location).toBe(join(folder, 'team.sqlite'));
		expect(ledgerFilePath('teams/a.sqlite')).toBe(
			join(process.env.N8N_USER_FOLDER!, '.n8n', 'support-delegation', 'teams', 'a.sqlite'),
		);
		expect(ledgerFilePath('~/x.sqlite')).toMatch(/\/x\.sqlite$/);
		expect(ledgerFilePath('~/x.sqlite').startsWith('~')).toBe(false);
	});

	it('refuses the embedded ledger in queue mode unless the single-host mode is declared', async () => {
		vi.stubEnv('EXECUTIONS_MODE', 'queue');
		await expect(openLedger(context({}))).rejects.toThrow(/queue mode.*PostgreSQL.*SUPPORT_DELEGATION_SINGLE_HOST=true/s);
		vi.stubEnv('SUPPORT_DELEGATION_SINGLE_HOST', 'true');
		expect((await openLedger(context({}))).backend).toBe('sqlite');
	});

	it('names the Node.js version and the PostgreSQL alternative when node:sqlite is missing', async () => {
		vi.spyOn(process, 'getBuiltinModule').mockReturnValue(undefined);
		const path = join(tmpdir(), 'never.sqlite');
		await expect(SqliteLedger.open(path)).rejects.toThrow(LedgerUnavailableError);
		await expect(SqliteLedger.open(path)).rejects.toThrow(/Node\.js 22\.13 or newer.*PostgreSQL/s);
	});

	it('reports a file that is not a ledger with its path, and retries on the next execution', async () => {
		const folder = mkdtempSync(join(tmpdir(), 'sd-open-'));
		const file = join(folder, 'broken.sqlite');
		writeFileSync(file, 'this is not a database, it is a shopping list. '.repeat(200));
		const failure = await openLedger(context({ ledgerFile: file })).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(LedgerUnavailableError);
		expect((failure as LedgerUnavailableError).message).toContain(file);
		expect((failure as LedgerUnavailableError).location).toBe(file);
		writeFileSync(file, '');
		expect((await openLedger(context({ ledgerFile: file }))).location).toBe(file);
	});
});

describe('openLedger (PostgreSQL)', () => {
	const unavailable = postgresUnavailable();
	const schemas: string[] = [];
	afterAll(() => (unavailable ? undefined : dropSchemas(schemas)));

	function pgContext(schema: string, credential: Record<string, unknown>): IExecuteFunctions {
		const parameters: Record<string, unknown> = { ledger: 'postgres', ledgerSchema: schema };
		return {
			getInputData: () => [],
			getNode: () => ({ name: 'Ledger test', typeVersion: 1, parameters: structuredClone(parameters) }),
			getNodeParameter: (name: string, _item: number, fallback?: unknown) => parameters[name] ?? fallback,
			getCredentials: async (type: string) => {
				expect(type).toBe('postgres');
				return credential;
			},
		} as unknown as IExecuteFunctions;
	}

	it.skipIf(unavailable !== null)('opens the schema named by the node with n8n’s Postgres credential, once per process', async () => {
		const schema = uniqueSchema('open');
		schemas.push(schema);
		const credential = { host: PG.host, port: PG.port, database: PG.database, user: PG.user, password: '', ssl: 'disable' };
		const a = await openLedger(pgContext(schema, credential));
		expect(a.backend).toBe('postgres');
		expect(a.location).toBe(`${PG.host}:${PG.port}/${PG.database}`);
		expect(await openLedger(pgContext(schema, { ...credential }))).toBe(a);
	});

	it('names host:port when PostgreSQL is down', async () => {
		const credential = { host: '127.0.0.1', port: 1, database: 'ledger', user: 'n8n', password: 'x', ssl: 'disable' };
		const failure = await openLedger(pgContext('support_delegation', credential)).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(LedgerUnavailableError);
		expect((failure as Error).message).toMatch(/PostgreSQL delegation ledger at 127\.0\.0\.1:1\/ledger is unavailable/);
	});
});
