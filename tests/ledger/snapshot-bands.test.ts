import { describe, expect, it } from 'vitest';

import type { DestinationKind, SnapshotRequest } from '../../ledger/model';
import { bucketOf, DAY, HOUR } from '../../ledger/planning/rollup';
import { foldSnapshot, snapshotReads, type EdgeRow, type SnapshotReads, type VendorHour } from '../../ledger/planning/snapshot';
import { matching } from './contract';
import { NOW, random, request } from './fixtures';

/** The last bound at or before x, or undefined before the first: what the SQL's width_bucket picks. */
const bandOf = (bounds: number[], x: number) => bounds.filter((b) => b <= x).at(-1);

/** Sums cells and rows per band as a backend may (see SnapshotReads), by plain filtering: the reference grouping. */
function banded(reads: SnapshotReads, hours: VendorHour[], edges: EdgeRow[]) {
	const cells = new Map<string, VendorHour>();
	for (const c of hours) {
		const hour = bandOf(reads.hourBounds, c.hour);
		if (hour === undefined) continue;
		const key = `${hour}|${c.kind}|${c.vendor}`;
		const sum = cells.get(key) ?? { hour, kind: c.kind, vendor: c.vendor, count: 0, cost: 0 };
		sum.count += c.count;
		sum.cost += c.cost;
		cells.set(key, sum);
	}
	const rows = new Map<string, Required<EdgeRow>>();
	for (const r of edges) {
		const decidedAt = bandOf(reads.edgeBounds, r.decidedAt)!;
		const key = `${decidedAt}|${r.kind}|${r.vendor}`;
		const sum = rows.get(key) ?? { decidedAt, kind: r.kind, vendor: r.vendor, costEstimate: 0, count: 0 };
		sum.count += 1;
		sum.costEstimate += r.costEstimate;
		rows.set(key, sum);
	}
	return { hours: [...cells.values()], edges: [...rows.values()] };
}

const TEN = 10 * 60_000;
const KINDS: Array<[DestinationKind, string | null]> = [['internal', null], ['external', 'acme'], ['external', 'globex'], ['external', 'unlisted']];

describe('snapshot bands: what a backend may sum before the fold', () => {
	it('fold of the band sums = fold of every cell and row, for windows starting anywhere (same hour, aligned, month in a zone)', () => {
		const rnd = random(2611);
		for (let i = 0; i < 300; i++) {
			const now = NOW + Math.floor(rnd() * 3 * DAY) * (rnd() < 0.1 ? 0 : 1);
			const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)];
			const req: SnapshotRequest = request({
				now,
				internalWindowMs: pick([HOUR, 2 * HOUR, 90 * 60_000, 30 * 60_000, 45 * 60_000, 1]),
				shareWindowMs: pick([30 * DAY, 7 * DAY, HOUR, 36 * HOUR + 1, 20 * 60_000]),
				// Month starts at a local midnight: whole hours in most zones, half or quarter hours in some.
				monthStart: bucketOf(now - Math.floor(rnd() * 40 * DAY), HOUR) + pick([0, 30 * 60_000, 45 * 60_000]),
			});
			const reads = snapshotReads(req);
			const hours: VendorHour[] = [];
			// From two hours before the first bound: cells there count in no window.
			for (let h = reads.hourBounds[0] - 2 * HOUR; h <= bucketOf(now, HOUR) + HOUR; h += HOUR) {
				for (const [kind, vendor] of KINDS) if (rnd() < 0.3) hours.push({ hour: h, kind, vendor: vendor ?? '', count: 1 + Math.floor(rnd() * 9), cost: Math.round(rnd() * 900) / 100 });
			}
			const edges: EdgeRow[] = [];
			// Rows anywhere in the windows' partial first hours: those read one by one and those inside ten-minute cells.
			for (const [a, b] of [...reads.rowRanges, ...reads.tenRanges]) {
				for (let n = 0; n < 40; n++) {
					const [kind, vendor] = pick(KINDS);
					// Some rows exactly on a window's start, where a band begins.
					const decidedAt = rnd() < 0.2 ? pick(reads.edgeBounds) : a + Math.floor(rnd() * (b - a));
					edges.push({ decidedAt, kind, vendor, costEstimate: Math.round(rnd() * 900) / 100 });
				}
			}
			const sums = banded(reads, hours, edges);
			expect(sums.hours.length).toBeLessThanOrEqual(reads.hourBounds.length * KINDS.length);
			expect(foldSnapshot(req, sums.hours, sums.edges, {}, {}), `case ${i}`).toEqual(matching(foldSnapshot(req, hours, edges, {}, {})));
		}
	});

	it('bounds: one per distinct first full hour of a window; edge bounds are the window starts inside the row ranges', () => {
		const now = Date.UTC(2026, 2, 10, 15, 20);
		const reads = snapshotReads(request({ now, internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY, monthStart: Date.UTC(2026, 2, 1) }));
		// Starts: internal 13:20:00.001, share Feb 8 15:20:00.001, hour 14:20:00.001, day Mar 9 15:20:00.001, month Mar 1 00:00 (aligned).
		const start = (ms: number) => now - ms + 1;
		expect(reads.hourBounds).toEqual([Date.UTC(2026, 1, 8, 16), Date.UTC(2026, 2, 1), Date.UTC(2026, 2, 9, 16), Date.UTC(2026, 2, 10, 14), Date.UTC(2026, 2, 10, 15)]);
		expect(reads.edgeBounds).toEqual([start(30 * DAY), start(DAY), start(2 * HOUR), start(HOUR)]);
		// Bands: [Feb 8 16:00, Mar 1), [Mar 1, Mar 9 16:00), [Mar 9 16:00, Mar 10 14:00), [14:00, 15:00), [15:00, …).
		// Whole days where a band holds them (Feb 9 – Mar 9, and from Mar 11 on), hours around them.
		expect(reads.hourRanges).toEqual([
			[Date.UTC(2026, 1, 8, 16), Date.UTC(2026, 1, 9)],
			[Date.UTC(2026, 2, 9), Date.UTC(2026, 2, 11)],
		]);
		expect(reads.dayRanges).toEqual([
			[Date.UTC(2026, 1, 9), Date.UTC(2026, 2, 9)],
			[Date.UTC(2026, 2, 11), Number.MAX_SAFE_INTEGER],
		]);
		// Each partial hour from its window's start (…:20:00.001): rows to :30, ten-minute cells from :30 to the hour's end.
		expect(reads.rowRanges).toEqual([start(30 * DAY), start(DAY), start(2 * HOUR), start(HOUR)].map((s) => [s, s - 1 + 10 * 60_000]));
		expect(reads.tenRanges).toEqual([
			[Date.UTC(2026, 1, 8, 15, 30), Date.UTC(2026, 1, 8, 16)],
			[Date.UTC(2026, 2, 9, 15, 30), Date.UTC(2026, 2, 9, 16)],
			[Date.UTC(2026, 2, 10, 13, 30), Date.UTC(2026, 2, 10, 14)],
			[Date.UTC(2026, 2, 10, 14, 30), Date.UTC(2026, 2, 10, 15)],
		]);
	});

	it('cells: every hour from the first bound on is read once, as an hour cell or in a day cell that no bound cuts', () => {
		const rnd = random(909);
		for (let n = 0; n < 300; n++) {
			const now = NOW - Math.floor(rnd() * 60 * DAY);
			const reads = snapshotReads(
				request({
					now,
					internalWindowMs: 1 + Math.floor(rnd() * 3 * DAY),
					shareWindowMs: 1 + Math.floor(rnd() * 40 * DAY),
					monthStart: Date.UTC(2026, new Date(now).getUTCMonth(), 1),
				}),
			);
			const inside = (ranges: Array<[number, number]>, x: number) => ranges.some(([a, b]) => x >= a && x < b);
			for (let h = reads.hourBounds[0]; h < now + 3 * DAY; h += HOUR) {
				expect(Number(inside(reads.hourRanges, h)) + Number(inside(reads.dayRanges, bucketOf(h, DAY))), new Date(h).toISOString()).toBe(1);
			}
			for (const bound of reads.hourBounds) {
				if (inside(reads.dayRanges, bucketOf(bound, DAY))) expect(bound % DAY, new Date(bound).toISOString()).toBe(0);
			}
			// In each hour a window starts inside, every instant from the earliest such start to the hour's end is read
			// once, as a row or inside a ten-minute cell, and no window's start cuts a ten-minute cell.
			for (const from of reads.edgeBounds) {
				const end = bucketOf(from, HOUR) + HOUR;
				const instants = [from, from + 1, end - 1];
				for (let t = bucketOf(from, TEN); t < end; t += TEN) instants.push(t, t + 1, t + TEN - 1);
				for (const x of instants.filter((x) => x >= from && x < end)) {
					expect(Number(inside(reads.rowRanges, x)) + Number(inside(reads.tenRanges, bucketOf(x, TEN))), new Date(x).toISOString()).toBe(1);
				}
				if (inside(reads.tenRanges, bucketOf(from, TEN))) expect(from % TEN, new Date(from).toISOString()).toBe(0);
			}
		}
	});
});
