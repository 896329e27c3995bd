import { describe, expect, it } from 'vitest';

import { isoDateTime, parseInstant } from '../../../domain/ticket/instant';

// 2026-11-20T09:30:00Z: 2026-01-01 is day 20,454 (56 years, 14 leap days), 20 November 323 days on; then 9.5 h.
const NINE_THIRTY_UTC = 20_777 * 86_400_000 + 9.5 * 3_600_000;

describe('ticket times written as helpdesks and toISOString write them (Z or ±hh:mm)', () => {
	it('reads Z and offsets to the instant, fractions of 1 to 9 digits to the millisecond', () => {
		expect(NINE_THIRTY_UTC).toBe(1_795_167_000_000);
		expect(parseInstant('2026-11-20T09:30:00Z', 'Europe/Paris')).toBe(NINE_THIRTY_UTC);
		expect(parseInstant('2026-11-20T10:30:00+01:00', 'UTC')).toBe(NINE_THIRTY_UTC);
		expect(parseInstant('2026-11-20T04:00:00-05:30', 'UTC')).toBe(NINE_THIRTY_UTC);
		expect(parseInstant('2026-11-20T09:30:00.5Z', 'UTC')).toBe(NINE_THIRTY_UTC + 500);
		expect(parseInstant('2026-11-20T09:30:00.25Z', 'UTC')).toBe(NINE_THIRTY_UTC + 250);
		expect(parseInstant('2026-11-20T09:30:00.125Z', 'UTC')).toBe(NINE_THIRTY_UTC + 125);
		expect(parseInstant('2026-11-20T09:30:00.123456789+00:00', 'UTC')).toBe(NINE_THIRTY_UTC + 123);
	});

	it('names no time for a day, hour, minute, second or offset that does not exist', () => {
		for (const text of [
			'2026-02-29T00:00:00Z', // 2026 is not a leap year
			'2100-02-29T00:00:00Z', // nor is 2100
			'2026-04-31T10:00:00Z',
			'2026-13-01T00:00:00Z',
			'2026-00-10T00:00:00Z',
			'2026-01-00T00:00:00Z',
			'2026-01-01T24:00:00Z',
			'2026-01-01T23:60:00Z',
			'2026-01-01T23:59:60Z',
			'2026-01-01T10:00:00+24:00',
			'2026-01-01T10:00:00+99:99',
			'2026-01-01T10:00:00.Z',
			'2026-01-01T10:00:00Zjunk',
			'2026-1a-01T10:00:00Z',
		]) {
			expect(isoDateTime(text, 'UTC'), text).toBeNull();
		}
		// Leap days that exist: 2024, and 2000 (divisible by 400).
		expect(parseInstant('2024-02-29T00:00:00Z', 'UTC')).toBe(19_782 * 86_400_000);
		expect(parseInstant('2000-02-29T00:00:00Z', 'UTC')).toBe(11_016 * 86_400_000);
	});
});
