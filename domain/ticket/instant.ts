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
