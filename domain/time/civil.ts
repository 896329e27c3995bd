import type { WallClock } from './zone';

const DAY = 86_400_000;

/** A UTC reading of an epoch instant: the fields a wall clock shows once the zone's offset is added. */
export interface CivilTime extends WallClock {
	millisecond: number;
}

/**
 * Calendar fields of an epoch instant in UTC by integer arithmetic: Howard Hinnant's civil_from_days
 * (http://howardhinnant.github.io/date_algorithms.html), proleptic Gregorian. Allocation-free but for the result, and
 * several times faster than a Date per call: what a replay of 100,000 tickets reads once per ticket.
 */
export function civilTime(epochMs: number): CivilTime {
	const days = Math.floor(epochMs / DAY);
	const rest = epochMs - days * DAY;
	const z = days + 719_468;
	const era = Math.floor(z / 146_097);
	const doe = z - era * 146_097;
	const yoe = Math.floor((doe - Math.floor(doe / 1_460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
	const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
	const mp = Math.floor((5 * doy + 2) / 153);
	const month = mp < 10 ? mp + 3 : mp - 9;
	return {
		year: yoe + era * 400 + (month <= 2 ? 1 : 0),
		month,
		day: doy - Math.floor((153 * mp + 2) / 5) + 1,
		hour: Math.floor(rest / 3_600_000),
		minute: Math.floor((rest % 3_600_000) / 60_000),
		second: Math.floor((rest % 60_000) / 1_000),
		millisecond: rest % 1_000,
		// 1970-01-01 was a Thursday (3 counting from Monday = 0).
		weekday: (((days + 3) % 7) + 7) % 7,
	};
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : `${n}`);

/** `Date#toISOString` for years 0–9999, without a Date: the same string, several times cheaper. */
export function isoInstant(epochMs: number): string {
	const c = civilTime(epochMs);
	if (c.year < 0 || c.year > 9999) return new Date(epochMs).toISOString();
	const ms = c.millisecond < 10 ? `00${c.millisecond}` : c.millisecond < 100 ? `0${c.millisecond}` : `${c.millisecond}`;
	return `${String(c.year).padStart(4, '0')}-${pad2(c.month)}-${pad2(c.day)}T${pad2(c.hour)}:${pad2(c.minute)}:${pad2(c.second)}.${ms}Z`;
}
