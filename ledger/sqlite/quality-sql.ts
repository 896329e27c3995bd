import { qualitySql } from '../sql/quality';

/**
 * A quality sample's statement on the embedded ledger. A scope's sample names the finished-delegations index: once
 * the vendor index became partial (migration 8), SQLite's planner, which has no statistics here, took it for a
 * limited sample instead, and that walks the vendor's decisions newest first, open ones included, reading each from
 * the table, until it has found enough finished ones. A sample across scopes is planned as before.
 */
export function sqliteQualitySql(scoped: boolean, limited: boolean): string {
	return qualitySql(scoped ? 'delegations INDEXED BY delegations_closed' : 'delegations', scoped, limited, (i) => `?${i + 1}`);
}
