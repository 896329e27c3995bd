import type { DestinationKind, LedgerSnapshot, QualityCounts, VendorCounts } from '../../ledger/model';
import { windowStart } from './windows';
import { dictionary } from '../shared/dictionary';

/** One decision as the guardrails count it. */
export interface ReplayEntry {
	at: number;
	kind: DestinationKind;
	vendor: string | null;
	cost: number;
}

export interface ReplayWindows {
	/** The internal load overflow measures (the router's: the last hour). */
	internalWindowMs: number;
	shareWindowMs: number;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

interface Slide {
	/** Index of the oldest entry still inside. */
	next: number;
	/** The window's start at a given now (month: the month's start). */
	start: (now: number, monthStart: number) => number;
	leave: (e: ReplayEntry) => void;
}

/**
 * What the ledger's snapshot would count at each moment of a replay in time order, kept by sliding windows instead
 * of re-reading: every decision enters each window once (when it is made) and leaves it once (when it grows older
 * than the window, or its month ends), so a replay of N tickets costs O(N) whatever the windows' lengths. The
 * windows are the ledger's (windowStart); what is counted per vendor is a LedgerSnapshot's.
 */
export class ReplayCounts {
	private readonly entries: ReplayEntry[] = [];
	private readonly vendors = new Map<string, VendorCounts>();
	private internal = 0;
	private delegated = 0;
	private readonly slides: Slide[];

	constructor(windows: ReplayWindows) {
		const counts = (e: ReplayEntry) => (e.kind === 'external' && e.vendor !== null ? this.countsOf(e.vendor) : null);
		const trailing = (length: number) => (now: number) => windowStart(now, length);
		this.slides = [
			{
				next: 0,
				start: trailing(windows.internalWindowMs),
				leave: (e) => {
					if (e.kind === 'internal') this.internal--;
				},
			},
			{
				next: 0,
				start: trailing(HOUR),
				leave: (e) => {
					const c = counts(e);
					if (c) c.lastHour--;
				},
			},
			{
				next: 0,
				start: trailing(DAY),
				leave: (e) => {
					const c = counts(e);
					if (c) c.lastDay--;
				},
			},
			{
				next: 0,
				start: trailing(windows.shareWindowMs),
				leave: (e) => {
					if (e.kind !== 'external') return;
					this.delegated--;
					const c = counts(e);
					if (c) c.inShareWindow--;
				},
			},
			{
				next: 0,
				start: (_now, monthStart) => monthStart,
				leave: (e) => {
					const c = counts(e);
					if (!c) return;
					c.thisMonth--;
					c.costThisMonth -= e.cost;
				},
			},
		];
	}

	private countsOf(vendor: string): VendorCounts {
		let c = this.vendors.get(vendor);
		if (!c) {
			c = { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
			this.vendors.set(vendor, c);
		}
		return c;
	}

	/** Counts a decision; decisions must come in time order (a replay's are, and so is a ledger history read by time). */
	add(e: ReplayEntry): void {
		this.entries.push(e);
		if (e.kind === 'internal') {
			this.internal++;
			return;
		}
		this.delegated++;
		if (e.vendor === null) return;
		const c = this.countsOf(e.vendor);
		c.lastHour++;
		c.lastDay++;
		c.inShareWindow++;
		c.thisMonth++;
		c.costThisMonth += e.cost;
	}

	/** The counts a batch deciding at `now` would read: decisions older than each window have left it. */
	snapshotAt(
		now: number,
		monthStart: number,
		vendors: readonly string[],
		state: Pick<LedgerSnapshot, 'overflowActive'> & { quality?: Record<string, QualityCounts>; qualityBelow?: Record<string, boolean> },
	): LedgerSnapshot {
		for (const slide of this.slides) {
			const start = slide.start(now, monthStart);
			while (slide.next < this.entries.length && this.entries[slide.next].at < start) slide.leave(this.entries[slide.next++]);
		}
		const snapshot: LedgerSnapshot = {
			now,
			internalInWindow: this.internal,
			delegatedInShareWindow: this.delegated,
			vendors: dictionary(),
			overflowActive: state.overflowActive,
			open: dictionary(),
			quality: state.quality,
			qualityBelow: state.qualityBelow,
		};
		for (const v of vendors) snapshot.vendors[v] = { ...this.countsOf(v) };
		return snapshot;
	}
}
