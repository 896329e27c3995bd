import { DAY } from '../planning/rollup';

/**
 * Schema version 3 added the 8-day rollup grain. Its cells are sums of the day cells a ledger already holds, so a
 * ledger of any size migrates by reading its rollups, never its decisions. Same SQL for SQLite and PostgreSQL
 * (integer division of integer buckets in both).
 */
export function backfillEightDayGrain(rollupTable: string): string {
	const grain = 8 * DAY;
	return `INSERT INTO ${rollupTable} (grain, bucket, scope, dimension_id, count, cost, sla_known, sla_met, reopened,
			outcome_known, csat_sum, csat_count)
		SELECT ${grain}, (bucket / ${grain}) * ${grain}, scope, dimension_id, sum(count), sum(cost), sum(sla_known),
			sum(sla_met), sum(reopened), sum(outcome_known), sum(csat_sum), sum(csat_count)
		FROM ${rollupTable} WHERE grain = ${DAY}
		GROUP BY 2, 3, 4`;
}
