import { describe, expect, it } from 'vitest';

import { limitViolations, partialBatches, shareMismatches, stampInversions, ticketCoverage, type AuditRow } from './audit';

const T0 = Date.parse('2026-11-26T10:00:00Z');
const MINUTE = 60_000;
let seq = 0;

function row(ticketId: string, minute: number, vendor: string | null, extra: Partial<AuditRow> = {}): AuditRow {
	return {
		ticketId,
		decidedAt: T0 + minute * MINUTE,
		kind: vendor ? 'external' : 'internal',
		vendor,
		costEstimate: vendor ? 4 : 0,
		executionId: '1',
		seq: seq++,
		...extra,
	};
}

const noShareCap = { shareWindowMs: 30 * 24 * 60 * MINUTE, minVolumeForShareCap: 0 };

describe('queue audit: one decision per ticket', () => {
	it('names duplicated, missing and unexpected tickets', () => {
		const rows = [row('a', 0, null), row('a', 1, 'v'), row('x', 2, null)];
		expect(ticketCoverage(rows, ['a', 'b'])).toEqual([
			'ticket a has 2 decisions',
			'ticket x was never sent but has a decision',
			'ticket b has no decision',
		]);
		expect(ticketCoverage([row('a', 0, null), row('b', 0, 'v')], ['a', 'b'])).toEqual([]);
	});
});

describe('queue audit: vendor limits replayed in decidedAt order', () => {
	it('finds an hourly cap exceeded inside any trailing hour, not only a clock hour', () => {
		const limits = { ...noShareCap, vendors: { v: { capacityPerHour: 2 } } };
		// 10:50, 11:10, 11:40: three inside the hour ending 11:40 although no clock hour holds three.
		const over = [row('a', 50, 'v'), row('b', 70, 'v'), row('c', 100, 'v')];
		expect(limitViolations(over, limits)).toEqual(['v: 3 tickets in the hour ending 2026-11-26T11:40:00.000Z, cap 2']);
		const spread = [row('a', 0, 'v'), row('b', 30, 'v'), row('c', 61, 'v')];
		expect(limitViolations(spread, limits)).toEqual([]);
	});

	it('checks the daily and monthly caps and the monthly budget', () => {
		const limits = { ...noShareCap, vendors: { v: { capacityPerDay: 1, capacityPerMonth: 1, monthlyBudget: 5 } } };
		expect(limitViolations([row('a', 0, 'v'), row('b', 600, 'v')], limits)).toEqual([
			'v: 2 tickets in the day ending 2026-11-26T20:00:00.000Z, cap 1',
			'v: 2 tickets in 2026-11, monthly cap 1',
			'v: cost 8 in 2026-11, monthly budget 5',
		]);
	});

	it('applies the max-share rule to each ticket as routed, above the minimum volume only', () => {
		const limits = { shareWindowMs: DAY, minVolumeForShareCap: 3, vendors: { a: { maxShare: 0.5 } } };
		// a, b: below the minimum volume. a (2/3) breaks the cap; b, a (3/5 > 0.5) breaks it again.
		const rows = [row('1', 0, 'a'), row('2', 1, 'b'), row('3', 2, 'a'), row('4', 3, 'b'), row('5', 4, 'a')];
		expect(limitViolations(rows, limits)).toEqual([
			'a: ticket 3 at 2026-11-26T10:02:00.000Z took its share to 2/3 of delegated tickets, limit 0.5',
			'a: ticket 5 at 2026-11-26T10:04:00.000Z took its share to 3/5 of delegated tickets, limit 0.5',
		]);
		expect(limitViolations([row('1', 0, 'a'), row('2', 1, 'b'), row('3', 2, 'b'), row('4', 3, 'a')], limits)).toEqual([]);
	});

	it('replays by decision time, so a batch that decided on a stale snapshot is caught', () => {
		const limits = { ...noShareCap, vendors: { v: { capacityPerHour: 1 } } };
		// Written second but decided first: in decidedAt order the vendor had two in the same hour.
		const rows = [row('late', 5, 'v', { seq: 1 }), row('early', 1, 'v', { seq: 2 })];
		expect(limitViolations(rows, limits)).toHaveLength(1);
	});

	it('tells a stamping problem from a counting one: commit order can hold where decidedAt order does not', () => {
		const limits = { shareWindowMs: DAY, minVolumeForShareCap: 0, vendors: { a: { maxShare: 0.5 } } };
		// b committed first (seq 1) though stamped later: a decided seeing b, so a's decision was right then.
		const rows = [row('b1', 2, 'b', { seq: 1 }), row('a1', 1, 'a', { seq: 2 })];
		expect(limitViolations(rows, limits, 'commit')).toEqual([]);
		expect(limitViolations(rows, limits)).toEqual(['a: ticket a1 at 2026-11-26T10:01:00.000Z took its share to 1/1 of delegated tickets, limit 0.5']);
		expect(stampInversions(rows)).toEqual({ count: 1, maxLagMs: MINUTE });
		expect(stampInversions([row('x', 1, 'a', { seq: 1 }), row('y', 1, 'b', { seq: 2 })])).toEqual({ count: 0, maxLagMs: 0 });
	});

	it('lets shares recover as old decisions leave the window', () => {
		const limits = { shareWindowMs: HOUR, minVolumeForShareCap: 0, vendors: { a: { maxShare: 0.5 } } };
		const rows = [row('1', 0, 'b'), row('2', 1, 'a'), row('3', 60, 'a')];
		// At 11:00 ticket 1 (10:00) has just left the hour: a alone holds 2 of 2.
		expect(limitViolations(rows, limits)).toEqual([
			'a: ticket 3 at 2026-11-26T11:00:00.000Z took its share to 2/2 of delegated tickets, limit 0.5',
		]);
	});
});

describe('queue audit: all-or-nothing batches', () => {
	const requests = [['a', 'b', 'c'], ['d'], ['e', 'f']];

	it('accepts executions that wrote whole requests, and requests nobody wrote', () => {
		const rows = [row('a', 0, null, { executionId: '7' }), row('b', 0, null, { executionId: '7' }), row('c', 0, 'v', { executionId: '7' })];
		expect(partialBatches(rows, requests)).toEqual([]);
	});

	it('names a half-written request and an execution that mixed two requests', () => {
		const rows = [
			row('a', 0, null, { executionId: '7' }),
			row('b', 0, null, { executionId: '7' }),
			row('d', 0, null, { executionId: '8' }),
			row('e', 0, null, { executionId: '8' }),
			row('f', 0, null, { executionId: null }),
		];
		expect(partialBatches(rows, requests)).toEqual([
			'ticket f: decision without an execution id',
			'execution 7 wrote 2 of the 3 tickets of its request (a, b, c)',
			'execution 8 wrote tickets of 2 requests: d, e',
		]);
	});
});

describe('queue audit: reported shares against a recount', () => {
	const rows = [row('1', 0, 'a'), row('2', 0, 'a'), row('3', 0, 'b'), row('4', 0, null)];

	it('agrees when the report counts what the rows hold', () => {
		expect(shareMismatches({ a: 2 / 3, b: 1 / 3 }, rows)).toEqual([]);
	});

	it('names a vendor whose reported share differs', () => {
		expect(shareMismatches({ a: 0.5, b: 0.5 }, rows)).toEqual([
			'a: reported share 0.5, recount 0.6666666666666666 (2 tickets)',
			'b: reported share 0.5, recount 0.3333333333333333 (1 tickets)',
		]);
	});
});

const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
