import { civilTime } from './civil';
import { offsetAt, wallClock, type WallClock } from './zone';

const HOUR = 3_600_000;
/** Hours remembered per zone before the cache starts over: a year of hours, a few hundred kB at most. */
const LIMIT = 9_000;
const offsets = new Map<string, Map<number, number | null>>();

/**
 * wallClock for callers reading many instants (a replay of a month of tickets): the zone's UTC offset is looked up once
 * per UTC hour, and an instant is read by shifting it by that offset. Intl formatting costs microseconds per call;
 * the shift costs nanoseconds. An hour inside which the offset changes (a DST switch, also those at half hours such
 * as Lord Howe Island's) is never shifted: its instants go through wallClock itself.
 */
export function hourlyWallClock(epochMs: number, zone: string): WallClock {
	let hours = offsets.get(zone);
	if (!hours) {
		hours = new Map();
		offsets.set(zone, hours);
	}
	const hour = Math.floor(epochMs / HOUR) * HOUR;
	let offset = hours.get(hour);
	if (offset === undefined) {
		const first = offsetAt(hour, zone);
		offset = offsetAt(hour + HOUR - 1, zone) === first ? first : null;
		if (hours.size >= LIMIT) hours.clear();
		hours.set(hour, offset);
	}
	if (offset === null) return wallClock(epochMs, zone);
	const c = civilTime(epochMs + offset);
	return { year: c.year, month: c.month, day: c.day, hour: c.hour, minute: c.minute, second: c.second, weekday: c.weekday };
}
