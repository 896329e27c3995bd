import { DAY, HOUR } from '../rollup';

/**
 * Schema version 3 added the 6-hour and 8-day rollup grains. Their cells are sums of the hour and day cells a
 * ledger already holds, so a ledger of any size migrates by reading its rollups, never its decisions.
 * Same SQL for SQLite and PostgreSQL (integer division of integer buckets in both).
 */
export function backfillCoarseGrains(rollupTable: string): string {
	return `INSERT INTO ${rollupTable} (grain, bucket, scope, dimension_id, count, cost, sla_known, sla_met, reopened,
			outcome_known, csat_sum, csat_count)
		SELECT g.coarse, (r.bucket / g.coarse) * g.coarse, r.scope, r.dimension_id, sum(r.count), sum(r.cost),
			sum(r.sla_known), sum(r.sla_met), sum(r.reopened), sum(r.outcome_known), sum(r.csat_sum), sum(r.csat_count)
		FROM ${rollupTable} r
		JOIN (SELECT ${HOUR} AS fine, ${6 * HOUR} AS coarse UNION ALL SELECT ${DAY}, ${8 * DAY}) g ON r.grain = g.fine
		GROUP BY 1, 2, 3, 4`;
}
