import type { Range } from '../planning/rollup';
import type { SeriesPlan } from '../planning/series';

/**
 * The one statement behind Ledger.series, for both SQL backends. The hourly vendor cells of the window are read in
 * one index range and placed in their bucket by a binary search over the buckets' whole hours (an hour a local midnight
 * cuts matches none and is left to the rows); then, per row range, its decisions grouped by kind and vendor. The database
 * returns a few rows per day and vendor instead of one per hour. `param` binds a value and returns its placeholder;
 * `table` names a table.
 */
export function seriesSql(
	plan: SeriesPlan,
	scope: string | null,
	param: (value: unknown) => string,
	table: (name: string) => string,
	timeIndex: string,
): string {
	const scoped = () => (scope === null ? '' : `AND scope = ${param(scope)}`);
	const parts: string[] = [];
	const whole = plan.bucketHours.map((range, bucket) => ({ range, bucket })).filter(({ range }) => range[1] > range[0]);
	if (whole.length) {
		parts.push(
			`SELECT bucket, kind, vendor, sum(count) AS count, sum(cost) AS cost
			FROM (SELECT ${bucketOf('hour', whole, param)} AS bucket, kind, vendor, count, cost
				FROM ${table('delegation_vendor_hours')}
				WHERE hour >= ${param(plan.hours[0])} AND hour < ${param(plan.hours[1])} ${scoped()}) AS cells
			WHERE bucket IS NOT NULL
			GROUP BY bucket, kind, vendor`,
		);
	}
	for (const { bucket, range: [a, b] } of plan.rows) {
		parts.push(
			`SELECT ${bucket} AS bucket, kind, coalesce(vendor, '') AS vendor, count(*) AS count, sum(cost_estimate) AS cost
			FROM ${table('delegations')} ${timeIndex}
			WHERE decided_at >= ${param(a)} AND decided_at < ${param(b)} ${scoped()}
			GROUP BY kind, coalesce(vendor, '')`,
		);
	}
	return parts.join('\nUNION ALL\n');
}

/**
 * The bucket whose range holds `column`, NULL when none does. The database evaluates it for every cell (a 30-day chart
 * is ~6,500 hour cells): a CASE trying 31 buckets in turn, two comparisons each, was two thirds of SQLite's read. The
 * ranges ascend and do not overlap, so halving them by the upper half's first start leaves one candidate, whose both
 * ends are then checked: an hour between two buckets' ranges (cut by a local midnight) or outside them all is in none.
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
