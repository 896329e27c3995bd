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

const DAY_INDEX: Record<string, number> = { Mon: 0, Tue: 1, Wed: 2, Thu: 3, Fri: 4, Sat: 5, Sun: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

/** One formatter per zone for the process: building Intl formatters is the expensive part. */
function formatter(zone: string): Intl.DateTimeFormat {
	let f = formatters.get(zone);
	if (!f) {
		f = new Intl.DateTimeFormat('en-US', {
			timeZone: zone,
			hourCycle: 'h23',
			weekday: 'short',
			year: 'numeric',
			month: '2-digit',
			day: '2-digit',
			hour: '2-digit',
			minute: '2-digit',
			second: '2-digit',
		});
		formatters.set(zone, f);
	}
	return f;
}

function parts(epochMs: number, zone: string) {
	const out: Record<string, string> = {};
	for (const p of formatter(zone).formatToParts(epochMs)) out[p.type] = p.value;
	return out;
}

/** Wall-clock reading of an instant; the time zone database does the DST arithmetic. */
export function zonedTime(epochMs: number, zone: string): ZonedTime {
	const p = parts(epochMs, zone);
	return {
		weekday: DAY_INDEX[p.weekday],
		minutes: Number(p.hour) * 60 + Number(p.minute),
		date: `${p.year}-${p.month}-${p.day}`,
		year: Number(p.year),
		month: Number(p.month),
	};
}

/** How far the zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetAt(epochMs: number, zone: string): number {
	const p = parts(epochMs, zone);
	const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
	return wall - Math.floor(epochMs / 1000) * 1000;
}

/** The instant the current calendar month began in the zone (monthly caps and budgets reset then). */
export function startOfMonth(epochMs: number, zone: string): number {
	const { year, month } = zonedTime(epochMs, zone);
	const wall = Date.UTC(year, month - 1, 1);
	// Two passes settle the offset even when the 1st falls on a DST change.
	let guess = wall - offsetAt(wall, zone);
	guess = wall - offsetAt(guess, zone);
	return guess;
}

const WEEKDAY_INDEX: Record<Weekday, number> = { mon: 0, tue: 1, wed: 2, thu: 3, fri: 4, sat: 5, sun: 6 };

function toMinutes(clock: string): number {
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
