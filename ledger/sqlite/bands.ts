/**
 * The band of a value (see SnapshotReads): the last of the sorted bounds at or below it, NULL below the first. SQLite
 * has no width_bucket, so it is a CASE over the bounds from the highest down, each bound a parameter (`bandParams`,
 * in the same order): the statement's text depends only on how many bounds there are, and is prepared once for each.
 */
export function bandSql(column: string, bounds: readonly number[]): string {
	return `CASE ${bounds.map(() => `WHEN ${column} >= ? THEN ?`).join(' ')} END`;
}

export function bandParams(bounds: readonly number[]): number[] {
	const params: number[] = [];
	for (let i = bounds.length - 1; i >= 0; i--) params.push(bounds[i], bounds[i]);
	return params;
}
