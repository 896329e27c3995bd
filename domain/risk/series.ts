import type { Ledger } from '../../ledger/ledger';
import { vendorShares } from './share';
import type { DayBucket, Interval } from './window';
import { dailyBuckets } from './window';

export interface ShareSeries {
	days: DayBucket[];
	/** Per vendor, its share of each day's delegated tickets; null on a day nothing was delegated. */
	vendors: Array<{ vendor: string; tickets: number[]; shares: Array<number | null> }>;
}

/**
 * Vendor shares per local day of the window. Ledger-agnostic: one `aggregate` call per day, so it
 * works on every backend; days are read concurrently and a backend may serialize them.
 */
export async function dailyShareSeries(ledger: Ledger, scope: string | null, window: Interval, timeZone: string): Promise<ShareSeries> {
	const days = dailyBuckets(window, timeZone);
	const perDay = await Promise.all(days.map((day) => ledger.aggregate(scope, day.from, day.to)));
	const counts = perDay.map((rows) => {
		const byVendor: Record<string, number> = {};
		for (const row of rows) {
			if (row.kind !== 'external') continue;
			const vendor = row.vendor ?? '(unknown vendor)';
			byVendor[vendor] = (byVendor[vendor] ?? 0) + row.count;
		}
		return byVendor;
	});
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
