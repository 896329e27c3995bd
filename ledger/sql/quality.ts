import type { QualityCounts, QualitySample } from '../model';
import { CLOSED_STATUSES } from '../model';
import type { SqlValue } from './columns';

/**
 * The statements both SQL backends read a vendor's quality sample with: its finished delegations decided in
 * [from, to), summed; with a limit, only the newest `limit` of them. Booleans are compared as truth values, so SQLite's
 * 0/1 and PostgreSQL's booleans sum alike. The status list is written out exactly as the migration's partial index
 * `delegations_closed` states it, so both planners read the sample from that index, which also holds the outcome
 * columns: a window is summed from the index alone. `p(i)` writes the i-th parameter (0-based) in the backend's
 * syntax, in sampleParams' order.
 */
export function qualitySql(table: string, scoped: boolean, limited: boolean, p: (i: number) => string): string {
	const statuses = CLOSED_STATUSES.map((s) => `'${s}'`).join(', ');
	const scope = scoped ? `scope = ${p(3 + (limited ? 1 : 0))} AND ` : '';
	const where = `WHERE ${scope}vendor = ${p(0)} AND status IN (${statuses}) AND decided_at >= ${p(1)} AND decided_at < ${p(2)}`;
	const rows = limited
		? `(SELECT status, sla_met, reopened, csat FROM ${table} ${where} ORDER BY decided_at DESC, seq DESC LIMIT ${p(3)}) AS sample`
		: `${table} ${where}`;
	return `SELECT count(*) AS closed,
			coalesce(sum(CASE WHEN status = 'returned' THEN 1 ELSE 0 END), 0) AS returned,
			count(sla_met) AS sla_known, coalesce(sum(CASE WHEN sla_met THEN 1 ELSE 0 END), 0) AS sla_met,
			count(reopened) AS outcome_known, coalesce(sum(CASE WHEN reopened THEN 1 ELSE 0 END), 0) AS reopened,
			coalesce(sum(csat), 0) AS csat_sum, count(csat) AS csat_count
		FROM ${rows}`;
}

/** An open end: later than any decision, and a plain integer both backends take. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** The statement's parameters for one sample: vendor, from, to, the limit when there is one, then the scope when scoped. */
export function sampleParams(sample: QualitySample, scope: string | null): Array<string | number> {
	const params: Array<string | number> = [sample.vendor, sample.from, Math.min(sample.to, UNLIMITED)];
	if (sample.limit !== null) params.push(sample.limit);
	if (scope !== null) params.push(scope);
	return params;
}

/** A driver row of qualitySql → counts (PostgreSQL hands back bigint sums as strings). */
export function toQualityCounts(row: Record<string, SqlValue>): QualityCounts {
	const n = (column: string) => Number(row[column] ?? 0);
	return {
		closed: n('closed'),
		returned: n('returned'),
		slaKnown: n('sla_known'),
		slaMet: n('sla_met'),
		outcomeKnown: n('outcome_known'),
		reopened: n('reopened'),
		csatSum: n('csat_sum'),
		csatCount: n('csat_count'),
	};
}
