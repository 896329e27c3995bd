import { hourlyWallClock } from '../time/hourly-clock';
import { startOfLocalDay, wallClock } from '../time/zone';
import type { TimeWindow, Weekday } from './schema';

/** A moment as read on the wall clock of the policy's time zone. */
export interface ZonedTime {
	/** 0 = Monday … 6 = Sunday. */
	weekday: number;
	/** Minutes since local midnight. */
	minutes: number;
	/** Local calendar date, YYYY-MM-DD (compares as a string). */
	date: string;
	year: number;
	month: number;
}

/** Wall-clock reading of an instant, in the shape rule windows compare against. */
export function zonedTime(epochMs: number, zone: string): ZonedTime {
	const c = hourlyWallClock(epochMs, zone);
	return {
		weekday: c.weekday,
		minutes: c.hour * 60 + c.minute,
		date: `${c.year}-${String(c.month).padStart(2, '0')}-${String(c.day).padStart(2, '0')}`,
		year: c.year,
		month: c.month,
	};
}

/** Per zone, the last month worked out, as [start, next month's start): one Intl reading a month, not four a batch. */
const lastMonth = new Map<string, { from: number; to: number }>();

/** The instant the current calendar month began in the zone (monthly caps and budgets reset then). */
export function startOfMonth(epochMs: number, zone: string): number {
	const known = lastMonth.get(zone);
	if (known && known.from <= epochMs && epochMs < known.to) return known.from;
	const { year, month } = wallClock(epochMs, zone);
	const from = startOfLocalDay({ year, month, day: 1 }, zone);
	const to = startOfLocalDay(month === 12 ? { year: year + 1, month: 1, day: 1 } : { year, month: month + 1, day: 1 }, zone);
	if (lastMonth.size >= 64) lastMonth.clear();
	lastMonth.set(zone, { from, to });
	return from;
}

export const WEEKDAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

/** `"08:30"` → 510 minutes since midnight (`"24:00"` → 1440). */
export function toMinutes(clock: string): number {
	return Number(clock.slice(0, 2)) * 60 + Number(clock.slice(3, 5));
}

export type WindowPredicate = (at: ZonedTime) => boolean;

/**
 * A window given as days + from/to. When `to` is earlier than `from` the window wraps past midnight and
 * belongs to the day it starts on: Friday 18:00–08:00 covers Saturday 02:00.
 */
export function windowPredicate(window: TimeWindow): WindowPredicate {
	const from = toMinutes(window.from);
	const to = toMinutes(window.to);
	const days = new Array<boolean>(7).fill(false);
	for (const d of window.days) days[WEEKDAY_INDEX[d]] = true;
	if (from < to) return (at) => days[at.weekday] && at.minutes >= from && at.minutes < to;
	return (at) => (days[at.weekday] && at.minutes >= from) || (days[(at.weekday + 6) % 7] && at.minutes < to);
}
