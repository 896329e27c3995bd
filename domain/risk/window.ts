import { RiskSettingError } from './errors';
import { isTimeZone, startOfLocalDay, wallClock, type LocalDate } from '../time/zone';

/**
 * Report windows and daily buckets in a time zone. "Day" means a calendar day where the support team
 * works, so a day can be 23 or 25 hours long around a daylight-saving change.
 */

const DAY = 86_400_000;

/** A half-open interval [from, to) of epoch milliseconds: what Ledger.aggregate reads. */
export interface Interval {
	from: number;
	to: number;
}

export interface RiskWindows {
	/** The report window as people read it: for a rolling window, ending now. */
	current: Interval;
	previous: Interval;
	/** The ranges Ledger.aggregate reads for them (see rollingRange); the windows themselves for whole days. */
	reads: { current: Interval; previous: Interval };
}

/** Later than any decision's timestamp: the open end of a rolling window's read. */
const OPEN_END = Number.MAX_SAFE_INTEGER;

/**
 * A rolling window as the router's max-share cap counts it at `now` (LedgerSnapshot.inShareWindow): every decision
 * younger than the window (decidedAt > now - length) and every decision stamped after now (by a worker whose clock
 * runs ahead, or while a batch waited for the lock). As a half-open range that is [now - length + 1, open end):
 * a decision exactly `length` old is out of both the cap and the report, one a millisecond younger is in both.
 */
export function rollingRange(now: number, length: number): Interval {
	return { from: now - length + 1, to: OPEN_END };
}

export interface WindowOptions {
	now: number;
	days: number;
	/** IANA zone, e.g. Europe/Berlin. */
	timeZone: string;
	/**
	 * false: the window ends now (a rolling window, like the router's share cap).
	 * true: the window ends at the start of today in the time zone, covering whole days (weekly reports).
	 */
	wholeDays: boolean;
}

/** Throws a RiskSettingError naming the zone when it is not an IANA time zone this runtime knows. */
export function assertTimeZone(timeZone: string): void {
	if (!isTimeZone(timeZone)) {
		throw new RiskSettingError(`Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin or UTC`);
	}
}

export function localDate(ms: number, timeZone: string): LocalDate {
	const { year, month, day } = wallClock(ms, timeZone);
	return { year, month, day };
}

function addDays(date: LocalDate, days: number): LocalDate {
	const shifted = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
	return { year: shifted.getUTCFullYear(), month: shifted.getUTCMonth() + 1, day: shifted.getUTCDate() };
}

/** The report window and the window of equal length just before it. */
export function riskWindows({ now, days, timeZone, wholeDays }: WindowOptions): RiskWindows {
	if (!(days > 0)) throw new RiskSettingError(`The window must be at least one day, got ${days}`);
	if (!wholeDays) {
		const length = days * DAY;
		const current = rollingRange(now, length);
		// The previous window is the same set one window earlier, so together they tile time without overlap.
		const previous = { from: current.from - length, to: current.from };
		return { current: { from: current.from, to: now }, previous, reads: { current, previous } };
	}
	const today = localDate(now, timeZone);
	const current = { from: startOfLocalDay(addDays(today, -days), timeZone), to: startOfLocalDay(today, timeZone) };
	const previous = { from: startOfLocalDay(addDays(today, -2 * days), timeZone), to: current.from };
	return { current, previous, reads: { current, previous } };
}

export interface DayBucket extends Interval {
	/** Local calendar date, YYYY-MM-DD. */
	date: string;
}

/** The window cut at local midnights; the first and last buckets are partial when the window is. */
export function dailyBuckets(window: Interval, timeZone: string): DayBucket[] {
	const buckets: DayBucket[] = [];
	let date = localDate(window.from, timeZone);
	let from = window.from;
	while (from < window.to) {
		const next = addDays(date, 1);
		const to = Math.min(startOfLocalDay(next, timeZone), window.to);
		const label = `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`;
		if (to > from) buckets.push({ from, to, date: label });
		from = to;
		date = next;
	}
	return buckets;
}

/** "2026-11-26 18:30" in the zone: how a report names its window to the people who read it. */
export function formatLocal(ms: number, timeZone: string): string {
	const p = wallClock(ms, timeZone);
	const two = (n: number) => String(n).padStart(2, '0');
	return `${p.year}-${two(p.month)}-${two(p.day)} ${two(p.hour)}:${two(p.minute)}`;
}
