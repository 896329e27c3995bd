import type { SeriesPlan } from '../planning/series';

/**
 * The one statement behind Ledger.series, for both SQL backends: the hourly vendor cells of the whole hours, then per
 * row range its decisions grouped by kind and vendor, tagged -1 - bucket (see foldSeries). `param` binds a value and
 * returns its placeholder; `table` names a table. Hour cells come back per hour and are placed in their day by the
 * caller: a month of hours is a few thousand small rows, far cheaper than a CASE over the day bounds in SQL.
 */
export function seriesSql(
	plan: SeriesPlan,
	scope: string | null,
	param: (value: unknown) => string,
	table: (name: string) => string,
	timeIndex: string,
): string {
	const scoped = () => (scope === null ? '' : `AND scope = ${param(scope)}`);
	const parts = [
		`SELECT hour AS at, kind, vendor, sum(count) AS count, sum(cost) AS cost
		FROM ${table('delegation_vendor_hours')}
		WHERE hour >= ${param(plan.hours[0])} AND hour < ${param(plan.hours[1])} ${scoped()}
		GROUP BY hour, kind, vendor`,
		...plan.rows.map(
			({ bucket, range: [a, b] }) =>
				`SELECT ${-1 - bucket} AS at, kind, coalesce(vendor, '') AS vendor, count(*) AS count, sum(cost_estimate) AS cost
				FROM ${table('delegations')} ${timeIndex}
				WHERE decided_at >= ${param(a)} AND decided_at < ${param(b)} ${scoped()}
				GROUP BY kind, coalesce(vendor, '')`,
		),
	];
	return parts.join('\nUNION ALL\n');
}
