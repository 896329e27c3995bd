import type { DestinationKind, SeriesCell } from '../model';
import { HOUR } from './rollup';
import type { Range } from './rollup';

/**
 * How a series of ranges (local days) is read in one statement: the router's hourly vendor cells for every whole
 * hour that lies inside one range, and the decisions themselves for the rest — the partial hours at the window's
 * edges, and the hour around a local midnight in zones whose offset is not whole hours (India, Nepal, Newfoundland).
 */
export interface SeriesPlan {
	/** Whole hours read from the hourly cells, [from, to); the hours in `splitHours` are skipped. */
	hours: Range;
	/** Hour buckets inside `hours` that a range boundary cuts: their decisions are read from the rows. */
	splitHours: Set<number>;
	/** Ranges of rows, each inside one bucket. */
	rows: Array<{ bucket: number; range: Range }>;
}

function checkBounds(bounds: readonly number[]) {
	for (let i = 0; i < bounds.length; i++) {
		if (!Number.isSafeInteger(bounds[i])) throw new RangeError(`series bounds[${i}] is not a whole number of milliseconds: ${bounds[i]}`);
		if (i > 0 && bounds[i] <= bounds[i - 1]) throw new RangeError(`series bounds must ascend: bounds[${i}] = ${bounds[i]} after ${bounds[i - 1]}`);
	}
}

export function planSeries(bounds: readonly number[]): SeriesPlan {
	checkBounds(bounds);
	const rows: SeriesPlan['rows'] = [];
	const splitHours = new Set<number>();
	if (bounds.length < 2) return { hours: [0, 0], splitHours, rows };
	const first = Math.ceil(bounds[0] / HOUR) * HOUR;
	const last = Math.floor(bounds[bounds.length - 1] / HOUR) * HOUR;
	const hours: Range = first < last ? [first, last] : [0, 0];
	for (let i = 0; i < bounds.length - 1; i++) {
		const from = bounds[i];
		const to = bounds[i + 1];
		// The whole hours of this range; what is left on either side comes from the rows.
		const x = Math.ceil(from / HOUR) * HOUR;
		const y = Math.floor(to / HOUR) * HOUR;
		if (x >= y) {
			rows.push({ bucket: i, range: [from, to] });
			continue;
		}
		if (from < x) rows.push({ bucket: i, range: [from, x] });
		if (y < to) rows.push({ bucket: i, range: [y, to] });
	}
	// An hour that a row range touches is counted from the rows, never also from its cell.
	for (const { range } of rows) {
		for (let h = Math.floor(range[0] / HOUR) * HOUR; h < range[1]; h += HOUR) {
			if (h >= hours[0] && h < hours[1]) splitHours.add(h);
		}
	}
	return { hours, splitHours, rows };
}

/** The bucket of an hour cell: the range it lies in (binary search over the bounds). */
function bucketOfHour(bounds: readonly number[], hour: number): number {
	let lo = 0;
	let hi = bounds.length - 2;
	while (lo < hi) {
		const mid = (lo + hi + 1) >> 1;
		if (bounds[mid] <= hour) lo = mid;
		else hi = mid - 1;
	}
	return lo;
}

/** One row of the series statement: `at` is an hour cell's start, or for a row range minus one minus its bucket. */
export interface SeriesRow {
	at: number;
	kind: DestinationKind;
	vendor: string;
	count: number;
	cost: number;
}

/**
 * Folds the statement's rows into cells. Hour cells are tagged by their start and placed by it; row ranges are
 * tagged -1 - bucket so the two never mix. Vendor '' (how the hourly cells store "no vendor") becomes null.
 */
export function foldSeries(bounds: readonly number[], plan: SeriesPlan, rows: readonly SeriesRow[]): SeriesCell[] {
	const cells = new Map<string, SeriesCell>();
	for (const r of rows) {
		const at = Number(r.at);
		let bucket: number;
		if (at < 0) bucket = -1 - at;
		else {
			if (plan.splitHours.has(at)) continue;
			bucket = bucketOfHour(bounds, at);
		}
		const vendor = r.vendor === '' || r.vendor === null ? null : String(r.vendor);
		const key = `${bucket}\u0000${r.kind}\u0000${vendor ?? ''}`;
		let cell = cells.get(key);
		if (!cell) {
			cell = { bucket, kind: r.kind, vendor, count: 0, cost: 0 };
			cells.set(key, cell);
		}
		cell.count += Number(r.count);
		cell.cost += Number(r.cost);
	}
	return [...cells.values()].filter((c) => c.count !== 0 || c.cost !== 0);
}
