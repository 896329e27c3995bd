import { describe, expect, it } from 'vitest';

import { isTimeZone, offsetAt, startOfLocalDay, wallClock } from '../../../domain/time/zone';

describe('time zones', () => {
	it('local midnight on the day clocks go forward and back', () => {
		expect(new Date(startOfLocalDay({ year: 2026, month: 3, day: 29 }, 'Europe/Berlin')).toISOString()).toBe('2026-03-28T23:00:00.000Z');
		expect(new Date(startOfLocalDay({ year: 2026, month: 3, day: 30 }, 'Europe/Berlin')).toISOString()).toBe('2026-03-29T22:00:00.000Z');
		expect(new Date(startOfLocalDay({ year: 2026, month: 11, day: 1 }, 'America/New_York')).toISOString()).toBe('2026-11-01T04:00:00.000Z');
		expect(new Date(startOfLocalDay({ year: 2026, month: 11, day: 2 }, 'America/New_York')).toISOString()).toBe('2026-11-02T05:00:00.000Z');
	});

	it('reads the wall clock and weekday of an instant, and the offset, on both sides of a change', () => {
		// 2026-03-29 00:30 UTC is Sunday 01:30 in Paris (CET); 02:30 UTC is Sunday 04:30 (CEST).
		expect(wallClock(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Paris')).toEqual({ year: 2026, month: 3, day: 29, hour: 1, minute: 30, second: 0, weekday: 6 });
		expect(wallClock(Date.parse('2026-03-29T02:30:00Z'), 'Europe/Paris').hour).toBe(4);
		expect(offsetAt(Date.parse('2026-03-29T00:30:00Z'), 'Europe/Paris')).toBe(3_600_000);
		expect(offsetAt(Date.parse('2026-03-29T02:30:00Z'), 'Europe/Paris')).toBe(7_200_000);
	});

	it('knows IANA zones and refuses anything else, including an empty name', () => {
		expect(isTimeZone('Asia/Tokyo')).toBe(true);
		expect(isTimeZone('UTC')).toBe(true);
		expect(isTimeZone('Mars/Olympus')).toBe(false);
		expect(isTimeZone('')).toBe(false);
		expect(() => wallClock(0, 'Mars/Olympus')).toThrow(/Unknown time zone "Mars\/Olympus"/);
	});
});
