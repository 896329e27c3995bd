import type { Client } from 'pg';

/**
 * Leaves a freshly seeded PostgreSQL ledger as autovacuum leaves one that has lived (PostgreSQL ≥ 13 vacuums after
 * inserts too): statistics and an all-visible visibility map, without which the covering indexes' index-only reads
 * visit the heap row by row and a read bench measures a state no running ledger is in. A VACUUM cannot mark pages
 * all-visible while another session's snapshot predates the seed (a long transaction on the shared server), so this
 * checks that it did and tries again until it does, or says which session holds it back.
 */
export async function vacuumLikeALivedLedger(client: Client, tables: readonly string[], timeoutMs = 120_000): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		await client.query(`VACUUM ANALYZE ${tables.join(', ')}`);
		const { rows } = await client.query<{ table: string; pages: number; visible: number }>(
			`SELECT t AS table, c.relpages AS pages, c.relallvisible AS visible
			FROM unnest($1::text[]) AS t, pg_class c WHERE c.oid = t::regclass`,
			[tables],
		);
		const behind = rows.filter((r) => r.pages > 0 && r.visible < 0.99 * r.pages);
		if (behind.length === 0) return;
		if (Date.now() > deadline) {
			const { rows: holders } = await client.query(
				`SELECT pid, xact_start, left(query, 80) AS query FROM pg_stat_activity WHERE backend_xmin IS NOT NULL AND pid <> pg_backend_pid()`,
			);
			throw new Error(
				`bench: VACUUM left ${behind.map((r) => `${r.table} ${r.visible}/${r.pages} pages all-visible`).join(', ')}; ` +
					`sessions holding old snapshots: ${JSON.stringify(holders)}`,
			);
		}
		await new Promise((resolve) => setTimeout(resolve, 1000));
	}
}

/** The ledger tables a bench reads, by their unqualified names: what a lived ledger has had vacuumed. */
export const LEDGER_READ_TABLES = [
	'delegations',
	'delegation_rollup',
	'delegation_vendor_tens',
	'delegation_vendor_hours',
	'delegation_vendor_days',
] as const;
