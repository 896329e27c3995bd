import type { PoolConfig } from 'pg';

/**
 * How long the PostgreSQL ledger waits before giving up with "ledger unavailable". Without them a black-holed
 * connection or another connection holding the scope's lock left an n8n execution waiting forever.
 */
export interface PostgresTimeouts {
	/** Connecting, or waiting for a free connection of the pool. */
	connectMs: number;
	/** Waiting for a lock: the policy scope's advisory lock (a batch of the same scope running elsewhere) or a row. */
	lockWaitMs: number;
	/** One statement on the server. A server that does not answer at all is given up RESPONSE_GRACE_MS later. */
	statementMs: number;
	/**
	 * A session left idle inside a transaction (its n8n process froze or vanished behind a dead network) is ended by
	 * the server after this long, which frees the scope lock it held for every other worker.
	 */
	idleInTransactionMs: number;
}

export const DEFAULT_POSTGRES_TIMEOUTS: PostgresTimeouts = {
	connectMs: 10_000,
	lockWaitMs: 10_000,
	statementMs: 30_000,
	idleInTransactionMs: 15_000,
};

/**
 * The client's own limit is the server's statement_timeout plus this: normally the server cancels the statement and
 * says so (the connection stays usable); the client's timer only fires when nothing comes back at all.
 */
export const RESPONSE_GRACE_MS = 1_000;

/** Migrations may rewrite a large ledger (backfilling rollups): they get this long per statement instead. */
export const MIGRATION_STATEMENT_MS = 10 * 60_000;

/**
 * Pool settings carrying the timeouts. The server-side ones travel in the startup packet of each connection, so
 * they cost no round trip per batch.
 */
export function poolConfig(connection: PoolConfig, t: PostgresTimeouts, statementMs = t.statementMs): PoolConfig {
	return {
		max: 10,
		// One connection stays open however long the ledger is idle: a webhook every minute, or a sweep every five, would
		// otherwise open a connection per execution (connect, authenticate, and a new server process whose first
		// statements read the catalog and plan the ledger's statements again), and only the ones above it close.
		min: 1,
		idleTimeoutMillis: 30_000,
		// A cached pool must never keep a finishing n8n process (CLI execute, a worker) alive.
		allowExitOnIdle: true,
		// The operating system notices a dead peer of an idle connection instead of keeping it for hours.
		keepAlive: true,
		keepAliveInitialDelayMillis: 10_000,
		...connection,
		// No JIT compilation: the ledger's statements are short, but a prepared statement's generic plan over a large
		// ledger is estimated costly enough for PostgreSQL to JIT-compile it on every execution (15-50 ms each, measured
		// on the 1M-row bench ledger, for a snapshot that runs in 1 ms). In the startup packet: no round trip.
		options: [connection.options, '-c jit=off'].filter(Boolean).join(' '),
		connectionTimeoutMillis: t.connectMs,
		lock_timeout: t.lockWaitMs,
		statement_timeout: statementMs,
		idle_in_transaction_session_timeout: t.idleInTransactionMs,
		query_timeout: statementMs + RESPONSE_GRACE_MS,
	};
}

export const seconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
