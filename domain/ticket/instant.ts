import { localInstant } from '../time/zone';

/**
 * Times in tickets and in policy conditions, read one way: an ISO 8601 date or date-time, or (ticket values only) an
 * epoch number. Anything else is not a time: `Date.parse` reads "-1", "June 1", "ticket 12" or "urgent 3" as dates in
 * 2001, "01/06/2026" as 6 January and a time without an offset on the server's clock, so it is not used.
 */

/**
 * `2026-06-01`, `2026-06-01T11:00`, `2026-06-01T11:00:00.250` (a space may stand for the T), then optionally `Z` or an
 * offset (`+02:00`, `+0200`, `+02`).
 */
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(?:(Z)|([+-])(\d{2})(?::?(\d{2}))?)?$/;

/** The latest instant read: 9999-12-31T23:59:59.999Z, far enough inside a Date's range that a due time added stays a date. */
export const MAX_INSTANT = 253_402_300_799_999;

/** A Gregorian cycle of 400 years, in ms: the same calendar (and, that far back, the same local mean time) again. */
const FOUR_CENTURIES = 146_097 * 86_400_000;

/**
 * An ISO 8601 date or date-time as epoch ms, or null when the text is not one or names no real time (30 February,
 * 24:00, an offset past ±23:59). With `Z` or an offset it is that instant; without, it is read on the wall clock of
 * `zone` (a date alone is its local midnight; a time in a DST gap moves forward by the gap).
 */
export function isoDateTime(text: string, zone: string): number | null {
	const fast = instantWithOffset(text);
	if (fast !== undefined) return fast;
	const m = ISO.exec(text);
	if (!m) return null;
	const [, y, mo, d, h, mi, s, fraction, z, sign, oh, om] = m;
	const parts = { year: +y, month: +mo, day: +d, hour: +(h ?? 0), minute: +(mi ?? 0), second: +(s ?? 0) };
	const ms = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
	// Date.UTC reads years 0–99 as 1900–1999: such years are taken four centuries on and moved back.
	const shift = parts.year < 100 ? 400 : 0;
	const wall = Date.UTC(parts.year + shift, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second, ms);
	const probe = new Date(wall);
	if (probe.getUTCDate() !== parts.day || probe.getUTCMonth() !== parts.month - 1 || parts.hour > 23 || parts.minute > 59 || parts.second > 59) return null;
	let at: number;
	if (z !== undefined) at = wall;
	else if (sign !== undefined) {
		const offsetMinutes = +oh * 60 + +(om ?? 0);
		if (+oh > 23 || +(om ?? 0) > 59) return null;
		at = wall - (sign === '-' ? -1 : 1) * offsetMinutes * 60_000;
	} else at = localInstant({ ...parts, year: parts.year + shift }, zone) + ms;
	at -= shift === 0 ? 0 : FOUR_CENTURIES;
	return at <= MAX_INSTANT ? at : null;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * The shape helpdesks and `toISOString` write, `2026-11-20T09:30:00Z` or `…:00.250+01:00` (a year from 1000), read
 * from its characters: no match array and no Date per ticket (the general reading below costs several times as much,
 * measured on the router's 10,000-ticket batch). Undefined for any other shape, which the general reading then takes.
 */
function instantWithOffset(t: string): number | null | undefined {
	const n = t.length;
	if (n < 20 || t.charCodeAt(4) !== 45 || t.charCodeAt(7) !== 45 || t.charCodeAt(10) !== 84 || t.charCodeAt(13) !== 58 || t.charCodeAt(16) !== 58) {
		return undefined;
	}
	const year = digits(t, 0, 4);
	const month = digits(t, 5, 2);
	const day = digits(t, 8, 2);
	const hour = digits(t, 11, 2);
	const minute = digits(t, 14, 2);
	const second = digits(t, 17, 2);
	if (year < 1000 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) return undefined;
	let i = 19;
	let ms = 0;
	if (t.charCodeAt(i) === 46) {
		const from = ++i;
		while (i < n && t.charCodeAt(i) >= 48 && t.charCodeAt(i) <= 57) i++;
		if (i === from) return undefined;
		const fraction = digits(t, from, Math.min(3, i - from));
		ms = i - from >= 3 ? fraction : fraction * (i - from === 1 ? 100 : 10);
	}
	let offsetMinutes: number;
	const sign = t.charCodeAt(i);
	if (sign === 90 && i + 1 === n) offsetMinutes = 0;
	else if ((sign === 43 || sign === 45) && i + 6 === n && t.charCodeAt(i + 3) === 58) {
		const oh = digits(t, i + 1, 2);
		const om = digits(t, i + 4, 2);
		if (oh < 0 || om < 0) return undefined;
		if (oh > 23 || om > 59) return null;
		offsetMinutes = (sign === 45 ? -1 : 1) * (oh * 60 + om);
	} else return undefined;
	const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
	const monthDays = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
	if (month < 1 || month > 12 || day < 1 || day > monthDays || hour > 23 || minute > 59 || second > 59) return null;
	const at = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
	return at <= MAX_INSTANT ? at : null;
}

/** The number written by `count` ASCII digits at `from`, or -1 when one is not a digit. */
function digits(t: string, from: number, count: number): number {
	let value = 0;
	for (let i = from; i < from + count; i++) {
		const d = t.charCodeAt(i) - 48;
		if (d < 0 || d > 9) return -1;
		value = value * 10 + d;
	}
	return value;
}

/**
 * A ticket's time (created at, due at): ISO 8601 as isoDateTime reads it (without an offset, on `zone`'s wall clock),
 * or Unix time as a number or digits: below 1e11 seconds (until the year 5138), from 1e11 milliseconds (from 1973).
 * Zero, negatives and anything else are no time (null), as other odd fields degrade to empty.
 */
export function parseInstant(value: unknown, zone: string): number | null {
	if (typeof value === 'number') {
		if (!Number.isFinite(value) || value <= 0) return null;
		const ms = value < 1e11 ? value * 1000 : value;
		return ms <= MAX_INSTANT ? ms : null;
	}
	if (typeof value !== 'string') return null;
	const text = value.trim();
	if (text === '') return null;
	if (/^\d+$/.test(text)) return parseInstant(Number(text), zone);
	return isoDateTime(text, zone);
}
