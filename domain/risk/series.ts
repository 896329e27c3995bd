import type { Ledger } from '../../ledger/ledger';
import { UNKNOWN_VENDOR } from './report';
import { vendorShares } from './share';
import type { DayBucket, Interval } from './window';
import { dailyBuckets } from './window';

export interface ShareSeries {
	days: DayBucket[];
	/** Per vendor, its share of each day's delegated tickets; null on a day nothing was delegated. */
	vendors: Array<{ vendor: string; tickets: number[]; shares: Array<number | null> }>;
}

/**
 * Vendor shares per local day of the window, from one Ledger.series read over the day bounds (a 30-day chart is one
 * query, not thirty). Internal decisions are not part of a vendor's share of delegated tickets.
 */
export async function dailyShareSeries(ledger: Ledger, scope: string | null, window: Interval, timeZone: string): Promise<ShareSeries> {
	const days = dailyBuckets(window, timeZone);
	const bounds = days.length ? [...days.map((d) => d.from), days[days.length - 1].to] : [];
	const counts: Array<Record<string, number>> = days.map(() => ({}));
	for (const cell of await ledger.series(scope, bounds)) {
		if (cell.kind !== 'external') continue;
		const vendor = cell.vendor ?? UNKNOWN_VENDOR;
		counts[cell.bucket][vendor] = (counts[cell.bucket][vendor] ?? 0) + cell.count;
	}
	const totals = new Map<string, number>();
	for (const day of counts) for (const [vendor, n] of Object.entries(day)) totals.set(vendor, (totals.get(vendor) ?? 0) + n);
	const names = [...totals.keys()].sort((a, b) => totals.get(b)! - totals.get(a)! || (a < b ? -1 : 1));
	const shares = counts.map((day) => (Object.keys(day).length ? vendorShares(day) : null));
	return {
		days,
		vendors: names.map((vendor) => ({
			vendor,
			tickets: counts.map((day) => day[vendor] ?? 0),
			shares: shares.map((day) => (day === null ? null : (day[vendor] ?? 0))),
		})),
	};
}
