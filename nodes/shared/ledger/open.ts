import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	INodeCredentialDescription,
	INodeProperties,
	IPollFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import type { Ledger } from '../../../ledger/ledger';
import { PostgresLedger } from '../../../ledger/postgres/postgres-ledger';
import { SqliteLedger } from '../../../ledger/sqlite/sqlite-ledger';
import { assertEmbeddedAllowed, ledgerFilePath } from './location';
import { connectionKey, postgresConnection } from './postgres-connection';
import { ledgerTimeoutsProperty, readLedgerTimeouts, type LedgerTimeouts } from './timeouts';
import { settingsOf } from '../settings';

/** Ledger parameters shared by every node that reads or writes the ledger (spread them into `properties`). */
export const ledgerProperties: INodeProperties[] = [
	{
		displayName: 'Ledger',
		name: 'ledger',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Embedded (SQLite File)',
				value: 'embedded',
				description: 'A file beside n8n’s own data; nothing to set up. One n8n host.',
			},
			{
				name: 'PostgreSQL',
				value: 'postgres',
				description: 'A PostgreSQL database: for queue mode (several workers), or to query the ledger from other tools',
			},
		],
		default: 'embedded',
		description: 'Where delegations are recorded. Every node of a workflow must use the same ledger.',
	},
	{
		displayName: 'Ledger File',
		name: 'ledgerFile',
		type: 'string',
		default: '',
		placeholder: '~/.n8n/support-delegation/ledger.sqlite',
		description:
			'Path of the SQLite file. Empty: support-delegation/ledger.sqlite in the n8n user folder. Relative paths are resolved from that folder.',
		displayOptions: { show: { ledger: ['embedded'] } },
	},
	{
		displayName: 'Ledger Schema',
		name: 'ledgerSchema',
		type: 'string',
		default: 'support_delegation',
		description: 'PostgreSQL schema holding the ledger tables; created (and migrated) on first use',
		displayOptions: { show: { ledger: ['postgres'] } },
	},
	ledgerTimeoutsProperty,
];

/** Credentials of the ledger (spread them into `credentials`). */
export const ledgerCredentials: INodeCredentialDescription[] = [
	{ name: 'postgres', required: true, displayOptions: { show: { ledger: ['postgres'] } } },
];

const open = new Map<string, Promise<Ledger>>();

type LedgerContext = IExecuteFunctions | IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions;

function parameter(ctx: LedgerContext, name: string, fallback: unknown): unknown {
	// Execute functions take an item index, poll, webhook and load-options functions do not; ledger settings are never per item.
	return 'getInputData' in ctx
		? settingsOf(ctx).get(name, fallback)
		: (ctx as IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions).getNodeParameter(name, fallback);
}

const text = (ctx: LedgerContext, name: string, fallback: string) => String(parameter(ctx, name, fallback) ?? fallback);

/**
 * The ledger a node execution uses. Opened lazily (schema created and migrated on first use) and shared by
 * every execution in this process, keyed by file path or by connection and schema, and by the timeouts.
 */
export async function openLedger(ctx: LedgerContext): Promise<Ledger> {
	const timeouts = readLedgerTimeouts(parameter(ctx, 'ledgerTimeouts', {}));
	if (text(ctx, 'ledger', 'embedded') === 'postgres') return (await locatePostgres(ctx, timeouts)).open();
	const path = ledgerFilePath(text(ctx, 'ledgerFile', ''));
	assertEmbeddedAllowed(path);
	return cached(`sqlite:${path}:${timeouts.sqlite.lockWaitMs}`, () => SqliteLedger.open(path, timeouts.sqlite));
}

/** Where the node's PostgreSQL credential and settings lead: a cache key, and the ledger there. */
async function locatePostgres(ctx: LedgerContext, timeouts: LedgerTimeouts): Promise<{ key: string; open: () => Promise<Ledger> }> {
	const connection = postgresConnection(await ctx.getCredentials('postgres'));
	const schema = text(ctx, 'ledgerSchema', 'support_delegation').trim() || 'support_delegation';
	const key = `postgres:${connectionKey(connection, schema)}:${JSON.stringify(timeouts.postgres)}`;
	return { key, open: () => cached(key, () => PostgresLedger.open({ connection, schema, timeouts: timeouts.postgres })) };
}

/**
 * A ledger to record on at once. n8n reads, decrypts and resolves a credential on every execution (1–3 ms measured
 * inside n8n 2.41.1 on one machine, ~4 ms on a slower one); `record` starts the batch meanwhile on the PostgreSQL
 * ledger that the same credential, schema and timeouts led to last time in this process — its lock, snapshot and
 * write round trips overlap the credential read — and lets it commit only once the credential still leads there.
 * When it no longer does (the credential was edited), nothing was committed and the batch runs again on the ledger
 * it leads to now. Embedded ledgers and a process's first execution have nothing to guess.
 */
export interface LedgerGuess {
	record<T>(batch: (ledger: Ledger, mayWrite?: Promise<unknown>) => Promise<T>): Promise<T>;
	/** The ledger the credential leads to now. */
	located(): Promise<Ledger>;
}

class LedgerMoved extends Error {
	constructor() {
		super('The ledger credential now leads to another ledger than the one this execution started on');
		this.name = 'LedgerMoved';
	}
}

/** The ledger the same credential (by id), schema and timeouts led to last: settings → cache key. */
const lastLocated = new Map<string, string>();

export function guessLedger(ctx: IExecuteFunctions): LedgerGuess {
	const timeouts = readLedgerTimeouts(parameter(ctx, 'ledgerTimeouts', {}));
	if (text(ctx, 'ledger', 'embedded') !== 'postgres') {
		const ledger = handled(openLedger(ctx));
		return { record: async (batch) => batch(await ledger), located: () => ledger };
	}
	const settings = JSON.stringify([settingsOf(ctx).node.credentials?.postgres?.id ?? null, text(ctx, 'ledgerSchema', ''), timeouts.postgres]);
	const location = locatePostgres(ctx, timeouts);
	const located = async () => {
		const { key, open } = await location;
		lastLocated.set(settings, key);
		return open();
	};
	const guessed = lastLocated.get(settings);
	const ledger = guessed === undefined ? undefined : open.get(guessed);
	handled(location);
	if (!ledger) return { record: async (batch) => batch(await located()), located };
	const mayWrite = handled(
		location.then(({ key }) => {
			if (key !== guessed) throw new LedgerMoved();
		}),
	);
	return {
		async record(batch) {
			const attempt = handled(ledger.then((guess) => batch(guess, mayWrite)));
			// The credential read settles first in practice. When the ledger moved, the attempt on the old one commits nothing,
			// whatever it is still waiting for (a lock, a server that is gone): the batch runs where the credential leads now.
			// A credential that cannot be read fails the batch at once; the attempt rolls back on its own.
			const moved = await mayWrite.then(
				() => false,
				(error: unknown) => (error instanceof LedgerMoved ? true : Promise.reject(error)),
			);
			return moved ? batch(await located()) : attempt;
		},
		located,
	};
}

/** Awaited later by whoever records, if anyone does (a batch of unreadable items never does): until then a failure is not unhandled. */
function handled<T>(promise: Promise<T>): Promise<T> {
	promise.catch(() => undefined);
	return promise;
}

async function cached(key: string, create: () => Promise<Ledger>): Promise<Ledger> {
	let ledger = open.get(key);
	if (!ledger) {
		ledger = create();
		open.set(key, ledger);
		// A ledger that failed to open (file locked, server down) is retried on the next execution.
		ledger.catch(() => open.delete(key));
	}
	return ledger;
}

/** Closes every ledger this process opened (tests, shutdown). */
export async function closeLedgers(): Promise<void> {
	const ledgers = [...open.values()];
	open.clear();
	await Promise.allSettled(ledgers.map(async (l) => (await l).close()));
}
