import { describe, expect, it } from 'vitest';

import { startOfMonth, windowPredicate, zonedTime } from '../../../domain/policy/time';
import type { TimeWindow } from '../../../domain/policy/schema';

const PARIS = 'Europe/Paris';
const utc = (y: number, mo: number, d: number, h: number, mi = 0) => Date.UTC(y, mo - 1, d, h, mi);
const inWindow = (window: TimeWindow, at: number, zone = PARIS) => windowPredicate(window)(zonedTime(at, zone));
const office: TimeWindow = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '08:00', to: '18:00' };

describe('wall clock in a time zone', () => {
	it('jumps from 02:00 to 03:00 in Paris on the last Sunday of March', () => {
		expect(zonedTime(utc(2026, 3, 29, 0, 30), PARIS)).toMatchObject({ weekday: 6, minutes: 90, date: '2026-03-29' });
		expect(zonedTime(utc(2026, 3, 29, 1, 30), PARIS)).toMatchObject({ weekday: 6, minutes: 210, date: '2026-03-29' });
	});

	it('repeats 02:00–03:00 on the last Sunday of October', () => {
		expect(zonedTime(utc(2026, 10, 25, 0, 30), PARIS).minutes).toBe(150);
		expect(zonedTime(utc(2026, 10, 25, 1, 30), PARIS).minutes).toBe(150);
	});
});

describe('time windows', () => {
	it('keep office hours at local 08:00 on both sides of the March change', () => {
		// Friday before: CET (UTC+1); Monday after: CEST (UTC+2).
		expect(inWindow(office, utc(2026, 3, 27, 7, 0))).toBe(true);
		expect(inWindow(office, utc(2026, 3, 27, 6, 59))).toBe(false);
		expect(inWindow(office, utc(2026, 3, 30, 6, 0))).toBe(true);
		expect(inWindow(office, utc(2026, 3, 30, 5, 59))).toBe(false);
		expect(inWindow(office, utc(2026, 3, 30, 15, 59))).toBe(true);
		expect(inWindow(office, utc(2026, 3, 30, 16, 0))).toBe(false);
	});

	it('keep office hours at local 08:00 on both sides of the October change', () => {
		expect(inWindow(office, utc(2026, 10, 23, 6, 0))).toBe(true);
		expect(inWindow(office, utc(2026, 10, 23, 5, 59))).toBe(false);
		expect(inWindow(office, utc(2026, 10, 26, 7, 0))).toBe(true);
		expect(inWindow(office, utc(2026, 10, 26, 6, 59))).toBe(false);
	});

	it('cover both passes through the repeated hour in October', () => {
		const repeated: TimeWindow = { days: ['sun'], from: '02:00', to: '03:00' };
		expect(inWindow(repeated, utc(2026, 10, 25, 0, 30))).toBe(true);
		expect(inWindow(repeated, utc(2026, 10, 25, 1, 30))).toBe(true);
		expect(inWindow(repeated, utc(2026, 10, 25, 2, 0))).toBe(false);
	});

	it('wrap past midnight and belong to the day they start on', () => {
		const fridayNight: TimeWindow = { days: ['fri'], from: '18:00', to: '08:00' };
		expect(inWindow(fridayNight, utc(2026, 6, 12, 16, 0))).toBe(true); // Fri 18:00 CEST
		expect(inWindow(fridayNight, utc(2026, 6, 12, 15, 59))).toBe(false);
		expect(inWindow(fridayNight, utc(2026, 6, 13, 0, 0))).toBe(true); // Sat 02:00
		expect(inWindow(fridayNight, utc(2026, 6, 13, 5, 59))).toBe(true); // Sat 07:59
		expect(inWindow(fridayNight, utc(2026, 6, 13, 6, 0))).toBe(false); // Sat 08:00
		expect(inWindow(fridayNight, utc(2026, 6, 12, 0, 0))).toBe(false); // Fri 02:00 belongs to Thursday
	});

	it('take 24:00 as the end of the day', () => {
		const weekend: TimeWindow = { days: ['sat', 'sun'], from: '00:00', to: '24:00' };
		expect(inWindow(weekend, utc(2026, 6, 13, 21, 59))).toBe(true); // Sat 23:59
		expect(inWindow(weekend, utc(2026, 6, 14, 22, 0))).toBe(false); // Mon 00:00
	});

	it('read other zones the same way', () => {
		expect(inWindow(office, utc(2026, 3, 9, 12, 0), 'America/New_York')).toBe(true); // Mon 08:00 EDT
		expect(inWindow(office, utc(2026, 3, 9, 12, 0), 'Asia/Tokyo')).toBe(false); // Mon 21:00 JST
	});
});

describe('start of month', () => {
	it('is local midnight on the 1st, whatever the offset', () => {
		expect(startOfMonth(utc(2026, 3, 31, 12), PARIS)).toBe(utc(2026, 2, 28, 23)); // CET
		expect(startOfMonth(utc(2026, 4, 15, 12), PARIS)).toBe(utc(2026, 3, 31, 22)); // CEST
		expect(startOfMonth(utc(2026, 4, 30, 22, 30), PARIS)).toBe(utc(2026, 4, 30, 22)); // already May in Paris
		expect(startOfMonth(utc(2026, 11, 10, 12), 'America/New_York')).toBe(utc(2026, 11, 1, 4)); // EDT on Nov 1
		expect(startOfMonth(utc(2026, 1, 1, 0), 'UTC')).toBe(utc(2026, 1, 1, 0));
	});
});

describe('readings remembered between batches', () => {
	it('start a new month on the first instant of the next one, not only when the month was first asked for', () => {
		const zone = 'Asia/Kolkata'; // UTC+05:30 all year
		// Local 2026-06-30 23:59:59.999 and 2026-07-01 00:00:00.000, asked in that order.
		expect(startOfMonth(utc(2026, 6, 30, 18, 29) + 59_999, zone)).toBe(utc(2026, 5, 31, 18, 30));
		expect(startOfMonth(utc(2026, 6, 30, 18, 30), zone)).toBe(utc(2026, 6, 30, 18, 30));
		// And back: an earlier instant is not taken for the remembered month.
		expect(startOfMonth(utc(2026, 6, 30, 18, 0), zone)).toBe(utc(2026, 5, 31, 18, 30));
	});

	it('turn the minute with the local clock, in a zone whose offset has seconds too', () => {
		// Liberia kept UTC−00:44:30 until 1972: its minutes turn 30 seconds into a UTC minute.
		const zone = 'Africa/Monrovia';
		const at = Date.UTC(1965, 5, 2, 10, 0, 29); // 09:15:59 local
		expect(zonedTime(at, zone).minutes).toBe(9 * 60 + 15);
		expect(zonedTime(at + 1000, zone).minutes).toBe(9 * 60 + 16); // one second later, same UTC minute
	});

	it('hand each caller its own copy', () => {
		const a = zonedTime(utc(2026, 3, 9, 12, 0), PARIS);
		a.minutes = -1;
		expect(zonedTime(utc(2026, 3, 9, 12, 0), PARIS).minutes).toBe(13 * 60);
	});
});
