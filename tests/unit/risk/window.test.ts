import { describe, expect, it } from 'vitest';

import { assertTimeZone, dailyBuckets, riskWindows } from '../../../domain/risk/window';

const DAY = 86_400_000;
const HOUR = 3_600_000;

describe('report windows', () => {
	it('rolling: the window ends now and the previous one is just before it, both the same length', () => {
		const now = Date.parse('2026-11-26T18:30:00Z');
		const w = riskWindows({ now, days: 30, timeZone: 'UTC', wholeDays: false });
		// Younger than 30 days, as the share cap counts: a decision exactly 30 days old is in the previous window.
		expect(w.current).toEqual({ from: now - 30 * DAY + 1, to: now });
		expect(w.previous).toEqual({ from: now - 60 * DAY + 1, to: now - 30 * DAY + 1 });
		// Read open-ended: decisions stamped after now (a worker's clock ahead) count, as they do for the cap.
		expect(w.reads.current).toEqual({ from: now - 30 * DAY + 1, to: Number.MAX_SAFE_INTEGER });
		expect(w.reads.previous).toEqual(w.previous);
	});

	it('whole days end at the start of today in the time zone, not in UTC', () => {
		// 23:30 UTC on the 26th is already the 27th in Berlin (UTC+1 in November).
		const now = Date.parse('2026-11-26T23:30:00Z');
		const berlin = riskWindows({ now, days: 7, timeZone: 'Europe/Berlin', wholeDays: true });
		expect(new Date(berlin.current.to).toISOString()).toBe('2026-11-26T23:00:00.000Z');
		expect(new Date(berlin.current.from).toISOString()).toBe('2026-11-19T23:00:00.000Z');
		expect(new Date(berlin.previous.from).toISOString()).toBe('2026-11-12T23:00:00.000Z');
		expect(berlin.previous.to).toBe(berlin.current.from);
		const ny = riskWindows({ now, days: 7, timeZone: 'America/New_York', wholeDays: true });
		expect(new Date(ny.current.to).toISOString()).toBe('2026-11-26T05:00:00.000Z');
	});

	it('whole days across a daylight-saving change keep calendar days (one 23-hour day)', () => {
		const now = Date.parse('2026-04-02T10:00:00Z');
		const w = riskWindows({ now, days: 7, timeZone: 'Europe/Berlin', wholeDays: true });
		expect(new Date(w.current.from).toISOString()).toBe('2026-03-25T23:00:00.000Z');
		expect(new Date(w.current.to).toISOString()).toBe('2026-04-01T22:00:00.000Z');
		expect(w.current.to - w.current.from).toBe(7 * DAY - HOUR);
	});

	it('daily buckets cut a rolling window at local midnights, partial at both ends', () => {
		const from = Date.parse('2026-03-27T12:00:00Z');
		const to = Date.parse('2026-03-30T06:00:00Z');
		const buckets = dailyBuckets({ from, to }, 'Europe/Berlin');
		expect(buckets.map((b) => b.date)).toEqual(['2026-03-27', '2026-03-28', '2026-03-29', '2026-03-30']);
		expect(buckets[0].from).toBe(from);
		expect(buckets.at(-1)!.to).toBe(to);
		// The day the clocks go forward has 23 hours.
		expect(buckets[2].to - buckets[2].from).toBe(23 * HOUR);
		for (let i = 1; i < buckets.length; i++) expect(buckets[i].from).toBe(buckets[i - 1].to);
	});

	it('rejects a window shorter than a day and an unknown time zone, naming it', () => {
		expect(() => riskWindows({ now: 0, days: 0, timeZone: 'UTC', wholeDays: false })).toThrow(/at least one day/);
		expect(() => assertTimeZone('Mars/Olympus')).toThrow('Unknown time zone "Mars/Olympus"');
		expect(() => assertTimeZone('Asia/Kolkata')).not.toThrow();
	});
});
