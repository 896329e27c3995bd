import { describe, expect, it } from 'vitest';

import { DAY, GRAINS, HOUR, planRange, type Range } from '../../ledger/planning/rollup';
import { snapshotReads } from '../../ledger/planning/snapshot';
import { NOW, random, request } from './fixtures';

const length = ([a, b]: Range) => Math.max(0, b - a);

describe('planRange: how a summary window is read', () => {
	it('covers [from, to) exactly once with whole buckets of each grain and under two hours of rows', () => {
		const rnd = random(17);
		const cases: Range[] = [
			[NOW - 30 * DAY, NOW],
			[NOW - 30 * DAY + 1, Number.MAX_SAFE_INTEGER],
			[0, DAY],
			[HOUR, 2 * HOUR],
			[NOW, NOW + 1],
			[NOW, NOW],
			[Math.floor(NOW / DAY) * DAY - 1, Math.floor(NOW / DAY) * DAY + 1],
		];
		for (let i = 0; i < 500; i++) {
			const from = NOW - Math.floor(rnd() * 60 * DAY);
			cases.push([from, from + Math.floor(rnd() * (rnd() < 0.5 ? 3 * HOUR : 40 * DAY))]);
		}
		for (const [from, to] of cases) {
			const plan = planRange(from, to);
			const pieces = [...plan.cells.flatMap((c) => c.ranges), ...plan.rows].filter((r) => length(r) > 0).sort((a, b) => a[0] - b[0]);
			// Contiguous, no overlap, exactly the window.
			let at = from;
			for (const [a, b] of pieces) {
				expect(a, `[${from}, ${to})`).toBe(at);
				at = b;
			}
			expect(at).toBe(Math.max(from, to));
			expect(plan.cells.map((c) => c.grain)).toEqual([...GRAINS]);
			for (const { grain, ranges } of plan.cells) {
				for (const r of ranges) if (length(r) > 0) expect(r[0] % grain === 0 && r[1] % grain === 0).toBe(true);
			}
			// Rows are read only where no whole hour fits: less than an hour at either end.
			expect(plan.rows.reduce((n, r) => n + length(r), 0)).toBeLessThan(2 * HOUR);
			// Below the coarsest grain, fewer buckets on each side than the next grain up holds.
			const buckets = plan.cells.slice(0, -1).map(({ grain, ranges }) => ranges.reduce((n, r) => n + length(r) / grain, 0));
			buckets.forEach((n, i) => expect(n).toBeLessThanOrEqual(2 * (GRAINS[i + 1] / GRAINS[i] - 1)));
		}
	});

	it('a 30-day window reads 2 or 3 eight-day buckets and a handful of finer ones, not 29 days and 24 hours', () => {
		const plan = planRange(NOW - 30 * DAY + 1, NOW + 1);
		const count = plan.cells.map(({ grain, ranges }) => ranges.reduce((n, r) => n + length(r) / grain, 0));
		const [hours, days, eightDays] = count;
		expect(eightDays).toBeGreaterThanOrEqual(2);
		expect(days).toBeLessThanOrEqual(14);
		expect(hours).toBeLessThanOrEqual(46);
	});
});

describe('snapshotReads: what a guardrail snapshot reads', () => {
	it('reads hour rollups from the oldest window start and rows only of the hours a window starts inside', () => {
		const reads = snapshotReads(request({ now: NOW, internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY }));
		expect(reads.fromHour).toBe(Math.floor((NOW - 30 * DAY + 1) / HOUR) * HOUR);
		// internal (2 h), share (30 d), hour and day windows start mid-hour, each in another hour; the month starts on one.
		expect(reads.rowRanges).toHaveLength(4);
		// From each window's start to the end of its hour: never more of the rows than the window needs.
		const minutesPast = (NOW % HOUR) + 1;
		expect(reads.rowRanges.every(([a, b]) => b - a === HOUR - minutesPast && b % HOUR === 0)).toBe(true);
	});
});
