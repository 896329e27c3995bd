import type { Ledger } from '../../ledger/ledger';
import { PostgresLedger } from '../../ledger/postgres/postgres-ledger';
import type { Client } from 'pg';

import type { AuditRow } from './audit';
import { createDatabase, dropDatabase, PG, withDatabase } from './services';
import type { LedgerChoice } from './workflows';

/**
 * The ledger a queue-mode run routes against: what the Ticket Router is told (parameters, credential), what n8n
 * imports, the environment every n8n process needs, and how the test reads the same ledger back.
 */
export interface QueueLedger {
	name: string;
	choice: LedgerChoice;
	credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	env: NodeJS.ProcessEnv;
	/** Creates what the ledger lives in (before n8n starts). */
	create(): Promise<void>;
	open(): Promise<Ledger>;
	/** Removes it (after every process has stopped). */
	remove(): Promise<void>;
}

/** Where a PostgreSQL ledger database lives: the machine's shared server, or a private cluster of the test. */
export interface LedgerServer {
	host: string;
	port: number;
	user: string;
	createDatabase(name: string): Promise<void>;
	dropDatabase(name: string): Promise<void>;
	withDatabase<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T>;
}

export const SHARED_SERVER: LedgerServer = { ...PG, createDatabase, dropDatabase, withDatabase };

/**
 * The production setup for queue mode: the ledger in its own PostgreSQL database (not n8n's), reached through n8n's
 * built-in Postgres credential, which n8n imports encrypted and every worker decrypts with the shared key.
 */
const SCHEMA = 'support_delegation';
const ledgerDatabase = (runId: string) => `sdq_${runId}_ledger`;

export function postgresLedger(
	runId: string,
	server: LedgerServer = SHARED_SERVER,
	label = 'pg',
	/** The routers' Ledger Timeouts (seconds); unset: the node's defaults. */
	timeouts?: Record<string, number>,
): QueueLedger {
	const database = ledgerDatabase(runId);
	const schema = SCHEMA;
	const credential = { id: `sdq${runId}${label}`.slice(0, 36), name: `Delegation ledger (PostgreSQL ${label})` };
	const parameters = { ledger: 'postgres', ledgerSchema: schema, ...(timeouts ? { ledgerTimeouts: timeouts } : {}) };
	return {
		name: 'PostgreSQL',
		choice: { parameters, credentials: { postgres: credential } },
		credentials: [
			{
				...credential,
				type: 'postgres',
				data: { host: server.host, port: server.port, database, user: server.user, password: '', ssl: 'disable', sshTunnel: false },
			},
		],
		env: {},
		create: async () => await server.createDatabase(database),
		open: async () => await PostgresLedger.open({ connection: { host: server.host, port: server.port, user: server.user, database }, schema }),
		remove: async () => await server.dropDatabase(database),
	};
}

/** Every decision of a scope as the audit reads it, with the ledger's commit order. */
export async function readDecisions(runId: string, scope: string, server: LedgerServer = SHARED_SERVER): Promise<AuditRow[]> {
	return await server.withDatabase(ledgerDatabase(runId), async (db) => {
		const { rows } = await db.query<{
			ticket_id: string;
			decided_at: string;
			kind: 'internal' | 'external';
			vendor: string | null;
			cost_estimate: number;
			execution_id: string | null;
			seq: string;
		}>(
			`SELECT ticket_id, decided_at, kind, vendor, cost_estimate, execution_id, seq
			 FROM ${SCHEMA}.delegations WHERE scope = $1 ORDER BY seq`,
			[scope],
		);
		return rows.map((r) => ({
			ticketId: r.ticket_id,
			decidedAt: Number(r.decided_at),
			kind: r.kind,
			vendor: r.vendor,
			costEstimate: r.cost_estimate,
			executionId: r.execution_id,
			seq: Number(r.seq),
		}));
	});
}
