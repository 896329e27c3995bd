import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_POSTGRES_TIMEOUTS, type PostgresTimeouts } from '../../../ledger/postgres/timeouts';
import { DEFAULT_LOCK_WAIT_MS } from '../../../ledger/sqlite/busy';

const postgresOnly = { show: { '/ledger': ['postgres'] } };
const s = (ms: number) => ms / 1000;

/** How long a ledger node waits before it fails with "ledger unavailable" (spread in through ledgerProperties). */
export const ledgerTimeoutsProperty: INodeProperties = {
	displayName: 'Ledger Timeouts',
	name: 'ledgerTimeouts',
	type: 'collection',
	placeholder: 'Add Timeout',
	default: {},
	description: 'How long to wait for the ledger before the node fails with "ledger unavailable" instead of hanging',
	options: [
		{
			displayName: 'Connect Timeout (Seconds)',
			name: 'connect',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: s(DEFAULT_POSTGRES_TIMEOUTS.connectMs),
			description: 'How long to wait for a connection to PostgreSQL',
			displayOptions: postgresOnly,
		},
		{
			displayName: 'Idle in Transaction Timeout (Seconds)',
			name: 'idleInTransaction',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: s(DEFAULT_POSTGRES_TIMEOUTS.idleInTransactionMs),
			description:
				'PostgreSQL ends a session that stays this long inside a transaction without a statement (its n8n process froze or lost the network), freeing the scope lock it held',
			displayOptions: postgresOnly,
		},
		{
			displayName: 'Lock Wait (Seconds)',
			name: 'lockWait',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: s(DEFAULT_LOCK_WAIT_MS),
			description:
				'How long to wait while another execution or process holds the ledger: the SQLite file’s write lock, or the policy scope’s lock in PostgreSQL',
		},
		{
			displayName: 'Statement Timeout (Seconds)',
			name: 'statement',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: s(DEFAULT_POSTGRES_TIMEOUTS.statementMs),
			description: 'Longest time one ledger statement may run in PostgreSQL; a server that does not answer at all is given up one second later',
			displayOptions: postgresOnly,
		},
	],
};

export interface LedgerTimeouts {
	sqlite: { lockWaitMs: number };
	postgres: PostgresTimeouts;
}

const FIELDS = {
	connect: ['connectMs', 'Connect Timeout'],
	idleInTransaction: ['idleInTransactionMs', 'Idle in Transaction Timeout'],
	lockWait: ['lockWaitMs', 'Lock Wait'],
	statement: ['statementMs', 'Statement Timeout'],
} as const;

/** The collection's values (seconds) → milliseconds for both backends, defaults for what is unset. */
export function readLedgerTimeouts(value: unknown): LedgerTimeouts {
	const postgres: PostgresTimeouts = { ...DEFAULT_POSTGRES_TIMEOUTS, lockWaitMs: DEFAULT_LOCK_WAIT_MS };
	const set = (value ?? {}) as Record<string, unknown>;
	for (const [name, [key, label]] of Object.entries(FIELDS)) {
		if (set[name] === undefined || set[name] === null || set[name] === '') continue;
		const seconds = Number(set[name]);
		// 0 would mean "no limit" to PostgreSQL: exactly the hang these settings exist to prevent.
		if (!Number.isFinite(seconds) || seconds <= 0) {
			throw new Error(`Ledger Timeouts → ${label} must be a number of seconds above 0, got ${JSON.stringify(set[name])}`);
		}
		postgres[key] = Math.round(seconds * 1000);
	}
	return { sqlite: { lockWaitMs: postgres.lockWaitMs }, postgres };
}
