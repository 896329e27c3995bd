import type { SQLInputValue, StatementSync } from 'node:sqlite';

import type { Range } from '../planning/rollup';
import type { EdgeRow, SnapshotReads, VendorHour } from '../planning/snapshot';
import { bandParams, bandSql } from './bands';

/** One part of the window read: a table, the column its cells or rows are keyed by, what each one counts. */
interface Part {
	/** 0: summed into vendorHours (by hour band), 1: into edgeRows (by edge band). */
	part: 0 | 1;
	from: string;
	at: string;
	count: string;
	cost: string;
	ranges: readonly Range[];
}

/**
 * What every guardrail window of a snapshot counts (see SnapshotReads), in one statement: the vendor-hour and
 * vendor-day cells summed per hour band, and the edge rows and ten-minute cells summed per edge band. A statement per
 * range and table (up to ten, each grouping through a temporary b-tree of its own) took ~0.8 ms of a one-ticket batch
 * on a lived ledger with caps; one statement, one grouping, is a fraction of that. The text depends only on how many
 * ranges and bounds there are, so `prepare` (the ledger's statement cache) sees a handful of texts.
 */
export function readWindows(
	prepare: (sql: string) => StatementSync,
	scope: string,
	reads: SnapshotReads,
): { vendorHours: VendorHour[]; edgeRows: EdgeRow[] } {
	const parts: Part[] = [
		{ part: 0, from: 'delegation_vendor_hours', at: 'hour', count: 'count', cost: 'cost', ranges: reads.hourRanges },
		{ part: 0, from: 'delegation_vendor_days', at: 'day', count: 'count', cost: 'cost', ranges: reads.dayRanges },
		// At most 20 minutes of rows a window, read by time from the time index alone (it covers these columns since
		// schema 11); the ticket index would read the whole scope.
		{ part: 1, from: 'delegations INDEXED BY delegations_time', at: 'decided_at', count: '1', cost: 'cost_estimate', ranges: reads.rowRanges },
		{ part: 1, from: 'delegation_vendor_tens', at: 'start', count: 'count', cost: 'cost', ranges: reads.tenRanges },
	];
	const selects: string[] = [];
	const params: SQLInputValue[] = [];
	for (const p of parts) {
		const bounds = p.part === 0 ? reads.hourBounds : reads.edgeBounds;
		const bands = bandParams(bounds);
		for (const [a, b] of p.ranges) {
			// The rollups key a decision without a vendor as ''; the rows as NULL: both read as ''.
			selects.push(
				`SELECT ${p.part} AS part, ${bandSql(p.at, bounds)} AS band, kind, coalesce(vendor, '') AS vendor, ${p.count} AS count, ${p.cost} AS cost
				FROM ${p.from} WHERE scope = ? AND ${p.at} >= ? AND ${p.at} < ?`,
			);
			params.push(...bands, scope, a, b);
		}
	}
	const vendorHours: VendorHour[] = [];
	const edgeRows: EdgeRow[] = [];
	if (selects.length === 0) return { vendorHours, edgeRows };
	const sums = prepare(
		`SELECT part, band, kind, vendor, sum(count) AS count, sum(cost) AS cost FROM (${selects.join(' UNION ALL ')}) GROUP BY 1, 2, 3, 4`,
	).all(...params) as unknown as Array<{ part: 0 | 1; band: number | null; kind: VendorHour['kind']; vendor: string; count: number; cost: number }>;
	for (const s of sums) {
		// A band of NULL lies before the first bound: no window counts it (see SnapshotReads).
		if (s.band === null) continue;
		if (s.part === 0) vendorHours.push({ hour: s.band, kind: s.kind, vendor: s.vendor, count: s.count, cost: s.cost });
		else edgeRows.push({ decidedAt: s.band, kind: s.kind, vendor: s.vendor === '' ? null : s.vendor, costEstimate: s.cost, count: s.count });
	}
	return { vendorHours, edgeRows };
}
