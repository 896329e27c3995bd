import { describe, expect, it } from 'vitest';

import { DAY, GRAINS, HOUR, planRange, rollUp, type Range, type RolledRow } from '../../ledger/planning/rollup';
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
	it('reads rollups from the oldest window\'s first whole hour, and in the hours a window starts inside, rows only up to the next ten minutes', () => {
		const reads = snapshotReads(request({ now: NOW, internalWindowMs: 2 * HOUR, shareWindowMs: 30 * DAY }));
		expect(reads.hourRanges[0][0]).toBe(Math.floor((NOW - 30 * DAY + 1) / HOUR) * HOUR + HOUR);
		// NOW is 10:17:23.456: the internal (2 h), share (30 d), hour and day windows start at :17:23.457, each in another
		// hour; the month starts on one. Rows from there to :20 (2 min 36.543 s), ten-minute cells from :20 to the hour's end.
		expect(reads.rowRanges).toHaveLength(4);
		expect(reads.rowRanges.every(([a, b]) => b - a === 156_543 && b % HOUR === 20 * 60_000)).toBe(true);
		expect(reads.tenRanges).toHaveLength(4);
		expect(reads.tenRanges.every(([a, b]) => a % HOUR === 20 * 60_000 && b - a === 40 * 60_000)).toBe(true);
	});
});

describe('rollUp: what a batch adds to the rollups', () => {
	it('folds rows handed one at a time (one object filled in place per row) into one cell per grain, bucket, scope and dimension, and vendor ten-minute cells', () => {
		// 2026-06-10 10:15 and 10:45 UTC (one hour bucket), 10:18 (10:15's ten minutes), and 11:05 the same day.
		const at = (h: number, m: number) => Date.UTC(2026, 5, 10, h, m);
		const contribution = (cost: number) => ({ count: 1, cost, slaKnown: 0, slaMet: 0, reopened: 0, outcomeKnown: 0, csatSum: 0, csatCount: 0 });
		const given: RolledRow[] = [
			{ scope: 's', decidedAt: at(10, 15), kind: 'external', vendor: 'acme', dimensionId: 7, contribution: contribution(6.5) },
			{ scope: 's', decidedAt: at(10, 45), kind: 'external', vendor: 'acme', dimensionId: 7, contribution: contribution(6.5) },
			{ scope: 's', decidedAt: at(10, 18), kind: 'external', vendor: 'acme', dimensionId: 7, contribution: contribution(1) },
			{ scope: 's', decidedAt: at(11, 5), kind: 'internal', vendor: null, dimensionId: 2, contribution: contribution(0) },
		];
		// As the router hands them: the same object each time, so a cell that kept a row (or its contribution) would change.
		const row = { ...given[0], contribution: { ...given[0].contribution } };
		const view = { length: given.length, at: (i: number) => Object.assign(row, given[i], { contribution: Object.assign(row.contribution, given[i].contribution) }) };
		const { cells, vendorCells } = rollUp(view);
		const hour10 = at(10, 0);
		const hour11 = at(11, 0);
		const day = Date.UTC(2026, 5, 10);
		// 8-day buckets count from the epoch: 2026-06-10 is day 20,614, in the bucket starting at day 20,608 (8 × 2,576).
		const eight = 20_608 * DAY;
		const summary = cells.map((c) => [c.grain, c.bucket, c.dimensionId, c.count, c.cost]);
		expect(summary).toEqual(
			expect.arrayContaining([
				[HOUR, hour10, 7, 3, 14],
				[HOUR, hour11, 2, 1, 0],
				[DAY, day, 7, 3, 14],
				[DAY, day, 2, 1, 0],
				[8 * DAY, eight, 7, 3, 14],
				[8 * DAY, eight, 2, 1, 0],
			]),
		);
		expect(cells).toHaveLength(6);
		expect(vendorCells.map((v) => [v.start, v.kind, v.vendor, v.count, v.cost])).toEqual(
			expect.arrayContaining([
				[at(10, 10), 'external', 'acme', 2, 7.5],
				[at(10, 40), 'external', 'acme', 1, 6.5],
				[at(11, 0), 'internal', '', 1, 0],
			]),
		);
		expect(vendorCells).toHaveLength(3);
	});
});
