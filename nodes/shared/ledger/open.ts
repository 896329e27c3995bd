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
import { ledgerTimeoutsProperty, readLedgerTimeouts } from './timeouts';

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
		? ctx.getNodeParameter(name, 0, fallback)
		: (ctx as IPollFunctions | ILoadOptionsFunctions | IWebhookFunctions).getNodeParameter(name, fallback);
}

const text = (ctx: LedgerContext, name: string, fallback: string) => String(parameter(ctx, name, fallback) ?? fallback);

/**
 * The ledger a node execution uses. Opened lazily (schema created and migrated on first use) and shared by
 * every execution in this process, keyed by file path or by connection and schema, and by the timeouts.
 */
export async function openLedger(ctx: LedgerContext): Promise<Ledger> {
	const timeouts = readLedgerTimeouts(parameter(ctx, 'ledgerTimeouts', {}));
	if (text(ctx, 'ledger', 'embedded') === 'postgres') {
		const connection = postgresConnection(await ctx.getCredentials('postgres'));
		const schema = text(ctx, 'ledgerSchema', 'support_delegation').trim() || 'support_delegation';
		return cached(`postgres:${connectionKey(connection, schema)}:${JSON.stringify(timeouts.postgres)}`, () =>
			PostgresLedger.open({ connection, schema, timeouts: timeouts.postgres }),
		);
	}
	const path = ledgerFilePath(text(ctx, 'ledgerFile', ''));
	assertEmbeddedAllowed(path);
	return cached(`sqlite:${path}:${timeouts.sqlite.lockWaitMs}`, () => SqliteLedger.open(path, timeouts.sqlite));
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
