import { join } from 'node:path';

import type { Ledger } from '../../nodes/core/ledger/ledger';
import { PostgresLedger } from '../../nodes/core/ledger/postgres/postgres-ledger';
import { SqliteLedger } from '../../nodes/core/ledger/sqlite/sqlite-ledger';
import type { AuditRow } from './audit';
import { createDatabase, dropDatabase, PG } from './services';
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

/**
 * The production setup for queue mode: the ledger in its own PostgreSQL database (not n8n's), reached through n8n's
 * built-in Postgres credential, which n8n imports encrypted and every worker decrypts with the shared key.
 */
export function postgresLedger(runId: string): QueueLedger {
	const database = `sdq_${runId}_ledger`;
	const schema = 'support_delegation';
	const credential = { id: `sdq${runId}pg`.slice(0, 36), name: 'Delegation ledger (PostgreSQL)' };
	return {
		name: 'PostgreSQL',
		choice: { parameters: { ledger: 'postgres', ledgerSchema: schema }, credentials: { postgres: credential } },
		credentials: [
			{
				...credential,
				type: 'postgres',
				data: { host: PG.host, port: PG.port, database, user: PG.user, password: '', ssl: 'disable', sshTunnel: false },
			},
		],
		env: {},
		create: async () => await createDatabase(database),
		open: async () => await PostgresLedger.open({ connection: { ...PG, database }, schema }),
		remove: async () => await dropDatabase(database),
	};
}

/**
 * The embedded ledger in its documented single-host mode: every worker on this host shares one SQLite file
 * (SUPPORT_DELEGATION_SINGLE_HOST=true). Without that flag the router refuses to run in queue mode.
 */
export function singleHostSqlite(runDir: string): QueueLedger {
	const file = join(runDir, 'ledger.sqlite');
	return {
		name: 'embedded SQLite, single host',
		choice: { parameters: { ledger: 'embedded', ledgerFile: file } },
		credentials: [],
		env: { SUPPORT_DELEGATION_SINGLE_HOST: 'true' },
		create: async () => undefined,
		open: async () => SqliteLedger.open(file),
		remove: async () => undefined,
	};
}

/** Every decision of a scope, oldest first, as the audit reads them. `seq` orders ties (one batch, one decidedAt). */
export async function readDecisions(ledger: Ledger, scope: string, order: (ticketId: string) => number): Promise<AuditRow[]> {
	const rows: AuditRow[] = [];
	let cursor: string | undefined;
	do {
		const page = await ledger.list({ scope, limit: 1000, cursor });
		for (const r of page.rows) {
			rows.push({
				ticketId: r.ticketId,
				decidedAt: r.decidedAt,
				kind: r.kind,
				vendor: r.vendor,
				costEstimate: r.costEstimate,
				executionId: r.executionId,
				seq: order(r.ticketId),
			});
		}
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	return rows.reverse();
}
