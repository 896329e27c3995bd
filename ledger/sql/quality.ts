import type { QualityCounts, QualitySample } from '../model';
import { CLOSED_STATUSES } from '../model';
import type { SqlValue } from './columns';

/**
 * The one statement both SQL backends read a vendor's quality sample with: its finished delegations decided in
 * [from, to), newest first, at most `limit`, summed. Booleans are compared as truth values, so SQLite's 0/1 and
 * PostgreSQL's booleans sum alike. The status list is written out exactly as the migration's partial index
 * `delegations_closed` states it, so both planners read the sample from that index.
 * `p(i)` writes the i-th parameter (0-based) in the backend's syntax; parameters are sampleParams' order.
 */
export function qualitySql(table: string, scoped: boolean, p: (i: number) => string): string {
	const statuses = CLOSED_STATUSES.map((s) => `'${s}'`).join(', ');
	const scope = scoped ? `scope = ${p(4)} AND ` : '';
	return `SELECT count(*) AS closed,
			coalesce(sum(CASE WHEN status = 'returned' THEN 1 ELSE 0 END), 0) AS returned,
			count(sla_met) AS sla_known, coalesce(sum(CASE WHEN sla_met THEN 1 ELSE 0 END), 0) AS sla_met,
			count(reopened) AS outcome_known, coalesce(sum(CASE WHEN reopened THEN 1 ELSE 0 END), 0) AS reopened,
			coalesce(sum(csat), 0) AS csat_sum, count(csat) AS csat_count
		FROM (SELECT status, sla_met, reopened, csat FROM ${table}
			WHERE ${scope}vendor = ${p(0)} AND status IN (${statuses}) AND decided_at >= ${p(1)} AND decided_at < ${p(2)}
			ORDER BY decided_at DESC, seq DESC LIMIT ${p(3)}) AS sample`;
}

/** No limit: later than any count a ledger holds, and a plain integer both backends take. */
const UNLIMITED = Number.MAX_SAFE_INTEGER;

/** The statement's parameters for one sample (the scope last, when scoped). */
export function sampleParams(sample: QualitySample, scope: string | null): Array<string | number> {
	const params: Array<string | number> = [sample.vendor, sample.from, Math.min(sample.to, UNLIMITED), sample.limit ?? UNLIMITED];
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
