import type { Range } from '../planning/rollup';
import type { SeriesPlan } from '../planning/series';

/**
 * The embedded ledger's Ledger.series statement: what `seriesSql` reads (the window's hourly vendor cells in one index
 * range, then each row range's decisions), with the cell's bucket found by a binary search over the buckets' whole
 * hours instead of a CASE that tries them in turn. SQLite evaluates that expression for every cell: a 30-day chart is
 * ~6,500 cells, and trying 31 buckets one by one (two comparisons each) was two thirds of the read; the search makes
 * five comparisons and checks one bucket. The text depends only on which buckets have whole hours, as before.
 */
export function sqliteSeriesSql(plan: SeriesPlan, scope: string | null, param: (value: unknown) => string): string {
	const scoped = () => (scope === null ? '' : `AND scope = ${param(scope)}`);
	const parts: string[] = [];
	const whole = plan.bucketHours.map((range, bucket) => ({ range, bucket })).filter(({ range }) => range[1] > range[0]);
	if (whole.length) {
		parts.push(
			`SELECT bucket, kind, vendor, sum(count) AS count, sum(cost) AS cost
			FROM (SELECT ${bucketOf('hour', whole, param)} AS bucket, kind, vendor, count, cost
				FROM delegation_vendor_hours
				WHERE hour >= ${param(plan.hours[0])} AND hour < ${param(plan.hours[1])} ${scoped()}) AS cells
			WHERE bucket IS NOT NULL
			GROUP BY bucket, kind, vendor`,
		);
	}
	for (const { bucket, range: [a, b] } of plan.rows) {
		parts.push(
			`SELECT ${bucket} AS bucket, kind, coalesce(vendor, '') AS vendor, count(*) AS count, sum(cost_estimate) AS cost
			FROM delegations INDEXED BY delegations_time
			WHERE decided_at >= ${param(a)} AND decided_at < ${param(b)} ${scoped()}
			GROUP BY kind, coalesce(vendor, '')`,
		);
	}
	return parts.join('\nUNION ALL\n');
}

/**
 * The bucket whose range holds `column`, NULL when none does. The ranges ascend and do not overlap, so halving them by
 * the first start of the upper half leaves the only candidate; the leaf checks both ends of it, which is what puts an
 * hour between two buckets' ranges (cut by a local midnight) or outside all of them in none.
 */
function bucketOf(column: string, ranges: ReadonlyArray<{ range: Range; bucket: number }>, param: (value: unknown) => string): string {
	if (ranges.length === 1) {
		const [{ range, bucket }] = ranges;
		return `CASE WHEN ${column} >= ${param(range[0])} AND ${column} < ${param(range[1])} THEN ${bucket} END`;
	}
	const half = ranges.length >> 1;
	const upper = ranges.slice(half);
	return `CASE WHEN ${column} < ${param(upper[0].range[0])} THEN ${bucketOf(column, ranges.slice(0, half), param)} ELSE ${bucketOf(column, upper, param)} END`;
}
