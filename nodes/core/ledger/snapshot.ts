import type { DelegationRecord, DestinationKind, LedgerSnapshot, SnapshotRequest } from './types';
import { bucketOf, HOUR, type Range } from './rollup';

/**
 * Reads a LedgerSnapshot from hourly vendor rollups plus the rows of the few partial hours at the windows'
 * edges, so a guardrail window of a month costs a few thousand rollup rows, whatever the ledger's size.
 * Pure: the backends fetch what `snapshotReads` asks for and hand it to `foldSnapshot`.
 */

interface Window {
	from: number;
	/** Exclusive. */
	to: number;
}

function windowsOf(request: SnapshotRequest) {
	// A row counts when now - decidedAt < window, i.e. decidedAt in (now - window, now]: in integer ms [now - window + 1, now + 1).
	const end = request.now + 1;
	const trailing = (ms: number): Window => ({ from: request.now - ms + 1, to: end });
	return {
		internal: trailing(request.internalWindowMs),
		share: trailing(request.shareWindowMs),
		hour: trailing(HOUR),
		day: trailing(24 * HOUR),
		month: { from: request.monthStart, to: end },
	};
}

const isFull = (hour: number, w: Window) => hour >= w.from && hour + HOUR <= w.to;
const touches = (hour: number, w: Window) => hour < w.to && hour + HOUR > w.from;

export interface SnapshotReads {
	/** Inclusive range of hour buckets to read from the vendor-hour rollup. */
	fromHour: number;
	toHour: number;
	/** Row ranges [from, to) to read decisions from: the partial hours at the windows' edges. */
	rowRanges: Range[];
}

export function snapshotReads(request: SnapshotRequest): SnapshotReads {
	const windows = Object.values(windowsOf(request)).filter((w) => w.to > w.from);
	if (windows.length === 0) return { fromHour: 0, toHour: -1, rowRanges: [] };
	const fromHour = bucketOf(Math.min(...windows.map((w) => w.from)), HOUR);
	const toHour = bucketOf(request.now, HOUR);
	const partial = new Set<number>();
	for (const w of windows) {
		for (const h of [bucketOf(w.from, HOUR), bucketOf(w.to - 1, HOUR)]) {
			if (touches(h, w) && !isFull(h, w)) partial.add(h);
		}
	}
	const rowRanges: Range[] = [...partial]
		.sort((a, b) => a - b)
		.map((h) => [h, Math.min(h + HOUR, request.now + 1)]);
	return { fromHour, toHour, rowRanges };
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
}

export function foldSnapshot(
	request: SnapshotRequest,
	vendorHours: VendorHour[],
	edgeRows: EdgeRow[],
	overflowActive: Record<string, boolean>,
	open: Record<string, DelegationRecord>,
): LedgerSnapshot {
	const w = windowsOf(request);
	const snapshot: LedgerSnapshot = {
		now: request.now,
		internalInWindow: 0,
		delegatedInShareWindow: 0,
		vendors: {},
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
		inWindow: (w: Window) => boolean,
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
		count(c.kind, c.vendor === '' ? null : c.vendor, c.count, c.cost, (win) => isFull(c.hour, win));
	}
	for (const r of edgeRows) {
		const hour = bucketOf(r.decidedAt, HOUR);
		count(r.kind, r.vendor, 1, r.costEstimate, (win) => !isFull(hour, win) && r.decidedAt >= win.from && r.decidedAt < win.to);
	}
	return snapshot;
}
