import type { DelegationRecord, DestinationKind, LedgerSnapshot, SnapshotRequest } from '../model';
import { windowStart } from '../../domain/routing/windows';
import { bucketOf, DAY, HOUR, TEN_MINUTES, type Range } from './rollup';
import { dictionary } from '../../domain/shared/dictionary';

/**
 * Reads a LedgerSnapshot from hourly vendor rollups plus the rows of the few partial hours at the windows'
 * edges, so a guardrail window of a month costs a few thousand rollup rows, whatever the ledger's size.
 * Pure: the backends fetch what `snapshotReads` asks for and hand it to `foldSnapshot`.
 */

/**
 * The first millisecond each window counts from. A row counts when now - decidedAt < window, i.e. from
 * now - window + 1 in integer ms; rows stamped after `now` count as well (see SnapshotRequest), so every
 * window is open-ended and only its start matters.
 */
function windowStarts(request: SnapshotRequest) {
	const since = (ms: number) => windowStart(request.now, ms);
	return {
		internal: since(request.internalWindowMs),
		share: since(request.shareWindowMs),
		hour: since(HOUR),
		day: since(24 * HOUR),
		month: request.monthStart,
	};
}

/** An hour bucket lies wholly inside a window that starts at `from`. */
const isFull = (hour: number, from: number) => hour >= from;

export interface SnapshotReads {
	/**
	 * What a window counts of the hour its start falls in (a partial hour): decisions read one by one in the row ranges
	 * [from, to), and the vendor ten-minute rollup's cells whose start is in the ten-minute ranges. Between them they
	 * cover each partial hour from the window's start to the hour's end, once.
	 */
	rowRanges: Range[];
	tenRanges: Range[];
	/**
	 * Bands a backend may sum what it reads by, instead of returning every cell and row: between two consecutive bounds
	 * every window counts alike, so `foldSnapshot` over one sum per band, stamped with the band's first bound, counts
	 * what it counts over the rows (it only adds). Sorted. A vendor-hour cell belongs to the last `hourBounds` entry at
	 * or before its hour (cells before the first count in no window); an edge row or ten-minute cell to the last
	 * `edgeBounds` entry at or before its time (each partial hour starts at one, and no bound cuts a ten-minute cell).
	 */
	hourBounds: number[];
	edgeBounds: number[];
	/**
	 * The rollup cells to read, as [from, to) ranges of the cells' start, together covering every hour from the first
	 * bound on (windows are open-ended):
	 * whole days from the vendor-day rollup wherever a band holds them, the hours around them from the vendor-hour one.
	 * A day never straddles a band bound, so its cell sums into the band its start is in, as its hours would. A month's
	 * window is then ~30 day cells per vendor and at most a day's hours at each bound, instead of ~720 hour cells.
	 */
	hourRanges: Range[];
	dayRanges: Range[];
}

export function snapshotReads(request: SnapshotRequest): SnapshotReads {
	if (request.counts === false) return { hourBounds: [], edgeBounds: [], hourRanges: [], dayRanges: [], rowRanges: [], tenRanges: [] };
	const starts = Object.values(windowStarts(request));
	// Each window has at most one partial hour, the one its start falls in, and needs only its rows from the start
	// on: [start, end of that hour). Overlapping ranges are merged so no row is read twice.
	const ranges: Range[] = starts
		.filter((from) => !isFull(bucketOf(from, HOUR), from))
		.map((from): Range => [from, bucketOf(from, HOUR) + HOUR])
		.sort((a, b) => a[0] - b[0]);
	const partialHours: Range[] = [];
	for (const r of ranges) {
		const last = partialHours[partialHours.length - 1];
		if (last && r[0] <= last[1]) last[1] = Math.max(last[1], r[1]);
		else partialHours.push([r[0], r[1]]);
	}
	// A full hour counts in a window when it starts at or after the window's start, i.e. at or after the first full
	// hour of the window. An edge row (within its start's hour) counts in the windows that start in its hour at or
	// before it: the windows' starts inside the row ranges cut them into bands.
	const firstFullHour = (from: number) => (isFull(bucketOf(from, HOUR), from) ? from : bucketOf(from, HOUR) + HOUR);
	const hourBounds = [...new Set(starts.map(firstFullHour))].sort((a, b) => a - b);
	const edgeBounds = [...new Set(starts.filter((from) => partialHours.some(([a, b]) => from >= a && from < b)))].sort((a, b) => a - b);
	return { hourBounds, edgeBounds, ...cellRanges(hourBounds), ...edgeRanges(partialHours, edgeBounds) };
}

/**
 * Each partial hour's bands (from an edge bound to the next, or to the hour's end) as whole ten-minute cells where the
 * band holds them, and rows only in the ten minutes around each bound: at most 20 minutes of rows per window start,
 * however late in its hour the batch runs, instead of up to an hour.
 */
function edgeRanges(partialHours: readonly Range[], edgeBounds: readonly number[]): Pick<SnapshotReads, 'rowRanges' | 'tenRanges'> {
	const rowRanges: Range[] = [];
	const tenRanges: Range[] = [];
	for (const [a, b] of partialHours) {
		const bounds = edgeBounds.filter((e) => e >= a && e < b);
		bounds.forEach((from, i) => splitBand(from, i + 1 < bounds.length ? bounds[i + 1] : b, TEN_MINUTES, rowRanges, tenRanges));
	}
	return { rowRanges, tenRanges };
}

/** Every window is open-ended (see windowStarts): the last band, and the cells read for it, run to here. */
const OPEN_END = Number.MAX_SAFE_INTEGER;

/** Each band's whole days as day cells, its other hours as hour cells. */
function cellRanges(hourBounds: readonly number[]): Pick<SnapshotReads, 'hourRanges' | 'dayRanges'> {
	const hourRanges: Range[] = [];
	const dayRanges: Range[] = [];
	hourBounds.forEach((from, i) => splitBand(from, i + 1 < hourBounds.length ? hourBounds[i + 1] : OPEN_END, DAY, hourRanges, dayRanges));
	return { hourRanges, dayRanges };
}

/**
 * A band [from, to) as the whole `grain` cells it holds (into `whole`) and the rest around them (into `rest`), so no
 * bound cuts a coarse cell; touching ranges are joined (fewer statements).
 */
function splitBand(from: number, to: number, grain: number, rest: Range[], whole: Range[]) {
	const first = Math.ceil(from / grain) * grain;
	const last = to === OPEN_END ? OPEN_END : bucketOf(to, grain);
	if (first >= last) {
		join(rest, from, to);
		return;
	}
	join(rest, from, first);
	join(whole, first, last);
	join(rest, last, to);
}

function join(ranges: Range[], from: number, to: number) {
	if (from >= to) return;
	const last = ranges[ranges.length - 1];
	if (last && last[1] === from) last[1] = to;
	else ranges.push([from, to]);
}

export interface VendorHour {
	hour: number;
	kind: DestinationKind;
	/** '' for rows without a vendor. */
	vendor: string;
	count: number;
	cost: number;
}

export interface EdgeRow {
	decidedAt: number;
	kind: DestinationKind;
	vendor: string | null;
	costEstimate: number;
	/** Rows this one stands for (a band's sum, see SnapshotReads): 1 when absent. `costEstimate` is then their sum. */
	count?: number;
}

export function foldSnapshot(
	request: SnapshotRequest,
	vendorHours: VendorHour[],
	edgeRows: EdgeRow[],
	overflowActive: Record<string, boolean>,
	open: Record<string, DelegationRecord>,
): LedgerSnapshot {
	const w = windowStarts(request);
	const snapshot: LedgerSnapshot = {
		now: request.now,
		internalInWindow: 0,
		delegatedInShareWindow: 0,
		vendors: dictionary(),
		overflowActive,
		open,
	};
	for (const v of request.vendors) {
		snapshot.vendors[v] = { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
	}
	const count = (
		kind: DestinationKind,
		vendor: string | null,
		n: number,
		cost: number,
		inWindow: (from: number) => boolean,
	) => {
		if (kind === 'internal') {
			if (inWindow(w.internal)) snapshot.internalInWindow += n;
			return;
		}
		if (inWindow(w.share)) snapshot.delegatedInShareWindow += n;
		const counts = vendor !== null && Object.hasOwn(snapshot.vendors, vendor) ? snapshot.vendors[vendor] : undefined;
		if (!counts) return;
		if (inWindow(w.hour)) counts.lastHour += n;
		if (inWindow(w.day)) counts.lastDay += n;
		if (inWindow(w.share)) counts.inShareWindow += n;
		if (inWindow(w.month)) {
			counts.thisMonth += n;
			counts.costThisMonth += cost;
		}
	};
	for (const c of vendorHours) {
		count(c.kind, c.vendor === '' ? null : c.vendor, c.count, c.cost, (from) => isFull(c.hour, from));
	}
	for (const r of edgeRows) {
		const hour = bucketOf(r.decidedAt, HOUR);
		count(r.kind, r.vendor, r.count ?? 1, r.costEstimate, (from) => !isFull(hour, from) && r.decidedAt >= from);
	}
	return snapshot;
}
