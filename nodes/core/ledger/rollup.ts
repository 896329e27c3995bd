import type { AggregateRow, DelegationRecord, DestinationKind } from './types';

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;

/**
 * The rollup plan behind fast snapshots and aggregates on a ledger of millions of rows.
 *
 * - Every (kind, vendor, reason, topic, channel, language) combination gets a small integer id: a "dimension".
 * - `delegation_rollup` holds per (grain, bucket, scope, dimension) the counts and outcome sums an AggregateRow
 *   needs, at two grains (UTC hour and UTC day), updated in the same transaction as the rows they count.
 * - `delegation_vendor_hours` holds per (scope, hour, kind, vendor) the count and cost the router's guardrails read.
 *
 * A window is then read as whole days + whole hours from the rollups and at most two partial hours from the
 * rows themselves, so a 30-day summary reads a few thousand rollup rows instead of a million decisions, and
 * the result is exact to the millisecond.
 */

export interface Dimension {
	kind: DestinationKind;
	vendor: string | null;
	reason: string;
	topic: string | null;
	channel: string | null;
	language: string | null;
}

/** Stable text key of a dimension (NULL and '' stay distinct). */
export function dimensionKey(d: Dimension): string {
	return JSON.stringify([d.kind, d.vendor, d.reason, d.topic, d.channel, d.language]);
}

export function dimensionOf(r: Dimension): Dimension {
	return {
		kind: r.kind,
		vendor: r.vendor,
		reason: r.reason,
		topic: r.topic,
		channel: r.channel,
		language: r.language,
	};
}

export const CONTRIBUTION_FIELDS = [
	'count',
	'cost',
	'slaKnown',
	'slaMet',
	'reopened',
	'outcomeKnown',
	'csatSum',
	'csatCount',
] as const satisfies ReadonlyArray<keyof AggregateRow>;

/** What one decision adds to its rollup cell: the sums of an AggregateRow. */
export type Contribution = Pick<AggregateRow, (typeof CONTRIBUTION_FIELDS)[number]>;

export function contributionOf(
	r: Pick<DelegationRecord, 'costEstimate' | 'slaMet' | 'reopened' | 'csat'>,
): Contribution {
	return {
		count: 1,
		cost: r.costEstimate,
		slaKnown: r.slaMet === null ? 0 : 1,
		slaMet: r.slaMet ? 1 : 0,
		reopened: r.reopened ? 1 : 0,
		outcomeKnown: r.reopened === null ? 0 : 1,
		csatSum: r.csat ?? 0,
		csatCount: r.csat === null ? 0 : 1,
	};
}

/** What an outcome update changes in the row's rollup cells; null when nothing counted changed. */
export function contributionDelta(before: DelegationRecord, after: DelegationRecord): Contribution | null {
	const a = contributionOf(before);
	const b = contributionOf(after);
	let changed = false;
	const delta = { ...a };
	for (const f of CONTRIBUTION_FIELDS) {
		delta[f] = b[f] - a[f];
		if (delta[f] !== 0) changed = true;
	}
	return changed ? delta : null;
}

function add(into: Contribution, c: Contribution) {
	for (const f of CONTRIBUTION_FIELDS) into[f] += c[f];
}

export function bucketOf(at: number, grain: number): number {
	return Math.floor(at / grain) * grain;
}

/** One cell of `delegation_rollup`. */
export interface RollupCell extends Contribution {
	grain: number;
	bucket: number;
	scope: string;
	dimensionId: number;
}

/** One cell of `delegation_vendor_hours`; vendor '' stands for "no vendor" (internal rows). */
export interface VendorHourCell {
	scope: string;
	hour: number;
	kind: DestinationKind;
	vendor: string;
	count: number;
	cost: number;
}

export interface RolledRow {
	scope: string;
	decidedAt: number;
	kind: DestinationKind;
	vendor: string | null;
	dimensionId: number;
	contribution: Contribution;
}

/** Folds rows (new decisions, or outcome deltas) into the cells to upsert, in a stable order (no lock cycles). */
export function rollUp(rows: RolledRow[]): { cells: RollupCell[]; vendorHours: VendorHourCell[] } {
	const cells = new Map<string, RollupCell>();
	const vendorHours = new Map<string, VendorHourCell>();
	for (const r of rows) {
		for (const grain of [HOUR, DAY]) {
			const bucket = bucketOf(r.decidedAt, grain);
			const key = `${grain}\u0000${bucket}\u0000${r.scope}\u0000${r.dimensionId}`;
			let cell = cells.get(key);
			if (!cell) {
				cell = { grain, bucket, scope: r.scope, dimensionId: r.dimensionId, ...zero() };
				cells.set(key, cell);
			}
			add(cell, r.contribution);
		}
		if (r.contribution.count !== 0 || r.contribution.cost !== 0) {
			const hour = bucketOf(r.decidedAt, HOUR);
			const vendor = r.vendor ?? '';
			const key = `${r.scope}\u0000${hour}\u0000${r.kind}\u0000${vendor}`;
			let cell = vendorHours.get(key);
			if (!cell) {
				cell = { scope: r.scope, hour, kind: r.kind, vendor, count: 0, cost: 0 };
				vendorHours.set(key, cell);
			}
			cell.count += r.contribution.count;
			cell.cost += r.contribution.cost;
		}
	}
	const byKey = <T>(m: Map<string, T>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, v]) => v);
	return { cells: byKey(cells), vendorHours: byKey(vendorHours) };
}

export function zero(): Contribution {
	return { count: 0, cost: 0, slaKnown: 0, slaMet: 0, reopened: 0, outcomeKnown: 0, csatSum: 0, csatCount: 0 };
}

/** Half-open millisecond range [from, to). */
export type Range = [number, number];

/** How to read [from, to): whole days and whole hours from the rollup, the rest from the rows. */
export interface RangePlan {
	days: Range;
	hours: [Range, Range];
	rows: [Range, Range];
}

const EMPTY: Range = [0, 0];

export function planRange(from: number, to: number): RangePlan {
	if (to <= from) return { days: EMPTY, hours: [EMPTY, EMPTY], rows: [EMPTY, EMPTY] };
	const d1 = Math.ceil(from / DAY) * DAY;
	const d2 = Math.floor(to / DAY) * DAY;
	if (d1 >= d2) {
		const only = splitHours(from, to);
		return { days: EMPTY, hours: [only.hours, EMPTY], rows: pad(only.rows) };
	}
	const left = splitHours(from, d1);
	const right = splitHours(d2, to);
	return { days: [d1, d2], hours: [left.hours, right.hours], rows: pad([...left.rows, ...right.rows]) };
}

function splitHours(from: number, to: number): { hours: Range; rows: Range[] } {
	if (to <= from) return { hours: EMPTY, rows: [] };
	const h1 = Math.ceil(from / HOUR) * HOUR;
	const h2 = Math.floor(to / HOUR) * HOUR;
	if (h1 >= h2) return { hours: EMPTY, rows: [[from, to]] };
	const rows: Range[] = [];
	if (from < h1) rows.push([from, h1]);
	if (h2 < to) rows.push([h2, to]);
	return { hours: [h1, h2], rows };
}

/** At most two row ranges survive (the partial hours at either end); SQL is written for exactly two. */
function pad(rows: Range[]): [Range, Range] {
	return [rows[0] ?? EMPTY, rows[1] ?? EMPTY];
}

/** Turns summed cells back into the AggregateRow contract. */
export function toAggregateRow(d: Dimension, c: Contribution): AggregateRow {
	return { ...d, ...c };
}
