import type { DestinationKind, SeriesCell } from '../model';
import { HOUR } from './rollup';
import type { Range } from './rollup';

/**
 * How a series of ranges (local days) is read in one statement: the router's hourly vendor cells for every whole
 * hour that lies inside one range, and the decisions themselves for the rest — the partial hours at the window's
 * edges, and the hour around a local midnight in zones whose offset is not whole hours (India, Nepal, Newfoundland).
 */
export interface SeriesPlan {
	/** All whole hours read from the hourly cells, [from, to): one index range scan. */
	hours: Range;
	/** Per bucket, the whole hours inside it ([0, 0] when none): an hour cell outside all of them is not read. */
	bucketHours: Range[];
	/** Ranges of rows, each inside one bucket. */
	rows: Array<{ bucket: number; range: Range }>;
}

const NONE: Range = [0, 0];

function checkBounds(bounds: readonly number[]) {
	for (let i = 0; i < bounds.length; i++) {
		if (!Number.isSafeInteger(bounds[i])) throw new RangeError(`series bounds[${i}] is not a whole number of milliseconds: ${bounds[i]}`);
		if (i > 0 && bounds[i] <= bounds[i - 1]) throw new RangeError(`series bounds must ascend: bounds[${i}] = ${bounds[i]} after ${bounds[i - 1]}`);
	}
}

export function planSeries(bounds: readonly number[]): SeriesPlan {
	checkBounds(bounds);
	const rows: SeriesPlan['rows'] = [];
	const bucketHours: Range[] = [];
	for (let i = 0; i < bounds.length - 1; i++) {
		const from = bounds[i];
		const to = bounds[i + 1];
		// The whole hours of this range; what is left on either side comes from the rows.
		const x = Math.ceil(from / HOUR) * HOUR;
		const y = Math.floor(to / HOUR) * HOUR;
		if (x >= y) {
			bucketHours.push(NONE);
			rows.push({ bucket: i, range: [from, to] });
			continue;
		}
		bucketHours.push([x, y]);
		if (from < x) rows.push({ bucket: i, range: [from, x] });
		if (y < to) rows.push({ bucket: i, range: [y, to] });
	}
	const whole = bucketHours.filter((r) => r[1] > r[0]);
	const hours: Range = whole.length ? [whole[0][0], whole[whole.length - 1][1]] : NONE;
	return { hours, bucketHours, rows };
}

/** One row of the series statement: counts of one kind and vendor in one bucket. */
export interface SeriesRow {
	bucket: number | string;
	kind: DestinationKind;
	vendor: string;
	count: number | string;
	cost: number | string;
}

/**
 * Sums the statement's rows per bucket, kind and vendor (the hour cells and a bucket's edge rows come back apart).
 * Vendor '' (how the hourly cells store "no vendor") becomes null. Drivers may hand back numbers as strings.
 */
export function foldSeries(rows: readonly SeriesRow[]): SeriesCell[] {
	const cells = new Map<string, SeriesCell>();
	for (const r of rows) {
		const bucket = Number(r.bucket);
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
