/**
 * Wall-clock arithmetic in IANA time zones, for everything that reads a local calendar: rule time windows,
 * monthly budgets, risk report days. The time zone database does the DST work; building Intl formatters is
 * the expensive part, so there is one per zone for the whole process.
 */

/** An instant as read on a zone's wall clock. */
export interface WallClock {
	year: number;
	month: number;
	day: number;
	hour: number;
	minute: number;
	second: number;
	/** 0 = Monday … 6 = Sunday. */
	weekday: number;
}

export interface LocalDate {
	year: number;
	month: number;
	day: number;
}

const WEEKDAY: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat | null>();

function formatter(zone: string): Intl.DateTimeFormat | null {
	let f = formatters.get(zone);
	if (f === undefined) {
		try {
			f =
				zone === ''
					? null
					: new Intl.DateTimeFormat('en-US', {
							timeZone: zone,
							hourCycle: 'h23',
							weekday: 'short',
							year: 'numeric',
							month: 'numeric',
							day: 'numeric',
							hour: 'numeric',
							minute: 'numeric',
							second: 'numeric',
						});
		} catch {
			f = null;
		}
		formatters.set(zone, f);
	}
	return f;
}

/** Whether this runtime knows the zone (an IANA name such as Europe/Paris, or UTC). */
export function isTimeZone(zone: string): boolean {
	return formatter(zone) !== null;
}

export function wallClock(epochMs: number, zone: string): WallClock {
	const f = formatter(zone);
	if (!f) throw new RangeError(`Unknown time zone "${zone}"`);
	const clock = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0, weekday: 0 };
	for (const part of f.formatToParts(epochMs)) {
		if (part.type === 'weekday') clock.weekday = WEEKDAY[part.value];
		else if (part.type in clock) clock[part.type as keyof WallClock] = Number(part.value);
	}
	return clock;
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
export function offsetAt(epochMs: number, zone: string): number {
	const p = wallClock(epochMs, zone);
	const wholeSecond = epochMs - (((epochMs % 1000) + 1000) % 1000);
	return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - wholeSecond;
}

/** The instant a local calendar day starts in the zone: midnight, or the first instant after a DST gap. */
export function startOfLocalDay(date: LocalDate, zone: string): number {
	const wall = Date.UTC(date.year, date.month - 1, date.day);
	const first = wall - offsetAt(wall, zone);
	// The offset at the first guess may differ from the one at the real midnight (a DST change that day).
	const second = wall - offsetAt(first, zone);
	return wallClock(second, zone).day === date.day ? second : first;
}

/** The instant a local wall-clock time names in the zone; a time inside a DST gap moves forward by the gap. */
export function localInstant(date: LocalDate & { hour: number; minute: number; second?: number }, zone: string): number {
	const wall = Date.UTC(date.year, date.month - 1, date.day, date.hour, date.minute, date.second ?? 0);
	const first = wall - offsetAt(wall, zone);
	return wall - offsetAt(first, zone);
}
