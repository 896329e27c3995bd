import type { SeriesPlan } from '../planning/series';

/**
 * The one statement behind Ledger.series, for both SQL backends. The hourly vendor cells of the window are read in
 * one index range and placed in their bucket by a CASE over each bucket's whole hours (an hour a local midnight cuts
 * matches none and is left to the rows); then, per row range, its decisions grouped by kind and vendor. The database
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
		const cases = whole.map(({ range: [a, b], bucket }) => `WHEN hour >= ${param(a)} AND hour < ${param(b)} THEN ${bucket}`).join(' ');
		parts.push(
			`SELECT bucket, kind, vendor, sum(count) AS count, sum(cost) AS cost
			FROM (SELECT CASE ${cases} END AS bucket, kind, vendor, count, cost
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
