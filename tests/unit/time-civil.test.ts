import { describe, expect, it } from 'vitest';

import { hourlyWallClock } from '../../domain/time/hourly-clock';
import { civilTime, isoInstant } from '../../domain/time/civil';
import { wallClock } from '../../domain/time/zone';

/** Instants spread over 1600–2400 and every millisecond edge of a day: the civil arithmetic must agree with Date. */
function instants(): number[] {
	const out: number[] = [Date.UTC(1970, 0, 1), Date.UTC(2000, 1, 29, 23, 59, 59, 999), Date.UTC(2100, 1, 28, 12), Date.UTC(1600, 2, 1), -1, 0, 1];
	let x = 0x2545f491;
	for (let i = 0; i < 20_000; i++) {
		x = (Math.imul(x ^ (x >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) | 0;
		out.push(Date.UTC(1600, 0, 1) + Math.floor(((x >>> 0) / 2 ** 32) * (Date.UTC(2400, 0, 1) - Date.UTC(1600, 0, 1))));
	}
	return out;
}

describe('civil time arithmetic', () => {
	it('reads the same calendar fields as Date in UTC (the published civil_from_days vector: day 0 = 1970-01-01, a Thursday)', () => {
		expect(civilTime(0)).toEqual({ year: 1970, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0, weekday: 3 });
		for (const t of instants()) {
			const d = new Date(t);
			expect(civilTime(t)).toEqual({
				year: d.getUTCFullYear(),
				month: d.getUTCMonth() + 1,
				day: d.getUTCDate(),
				hour: d.getUTCHours(),
				minute: d.getUTCMinutes(),
				second: d.getUTCSeconds(),
				millisecond: d.getUTCMilliseconds(),
				weekday: (d.getUTCDay() + 6) % 7,
			});
			expect(isoInstant(t)).toBe(d.toISOString());
		}
	});

	it.each(['Europe/Berlin', 'America/New_York', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'UTC'])('the hourly wall clock agrees with Intl in %s, DST switches included', (zone) => {
		// Every ~7 minutes for 36 hours either side of 2026's DST switches (EU 29 Mar / 25 Oct, US 8 Mar / 1 Nov, Lord Howe's
		// half-hour shifts 5 Apr / 4 Oct at 15:30 UTC), and every ~6 hours across the year.
		const switches = [Date.UTC(2026, 2, 8), Date.UTC(2026, 2, 29), Date.UTC(2026, 3, 5), Date.UTC(2026, 9, 4), Date.UTC(2026, 9, 25), Date.UTC(2026, 10, 1)];
		const times: number[] = [];
		for (const s of switches) for (let t = s - 36 * 3_600_000; t < s + 36 * 3_600_000; t += 7 * 60_000 + 13_001) times.push(t);
		for (let t = Date.UTC(2026, 0, 1); t < Date.UTC(2027, 0, 1); t += 6 * 3_600_000 + 13 * 60_000 + 7_001) times.push(t);
		for (const t of times) expect(hourlyWallClock(t, zone), new Date(t).toISOString()).toEqual(wallClock(t, zone));
	});
});
