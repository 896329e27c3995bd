import type { LedgerSnapshot } from '../../ledger/model';
import type { Destination } from '../policy/schema';
import { money, percent, percentLine, thousands } from '../risk/format';
import { shareOf } from '../risk/share';

export type LimitName = 'capacityPerHour' | 'capacityPerDay' | 'capacityPerMonth' | 'monthlyBudget' | 'maxShare';

export interface LimitUsage {
	limit: LimitName;
	/** What the router counts this limit over, for people. */
	label: string;
	used: number;
	cap: number;
	/** used / cap; above 1 when a limit was lowered after tickets went out. */
	fraction: number;
	/** At 80% a limit is near; at 100% the router sends the vendor no more tickets. */
	status: 'ok' | 'near' | 'reached';
	text: { used: string; cap: string; fraction: string };
}

export interface VendorUsage {
	vendor: string;
	paused: boolean;
	limits: LimitUsage[];
}

const NEAR = 0.8;

/**
 * How much of each cap and budget the policy's vendors have used, counted as the router counts them (the same
 * snapshot the router decides a batch on): last hour, last 24 hours, this calendar month in the policy's time
 * zone, the monthly budget, and the share of delegated tickets over the policy's share window.
 */
export function capUsage(destinations: readonly Destination[], snapshot: LedgerSnapshot, shareWindowDays: number): VendorUsage[] {
	const usage: VendorUsage[] = [];
	for (const d of destinations) {
		if (d.kind !== 'external') continue;
		const c = snapshot.vendors[d.id] ?? { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
		const limits: LimitUsage[] = [];
		const add = (limit: LimitName, label: string, used: number, cap: number, write: (n: number) => string) => {
			const fraction = cap > 0 ? used / cap : used > 0 ? Infinity : 0;
			limits.push({
				limit,
				label,
				used,
				cap,
				fraction,
				status: fraction >= 1 ? 'reached' : fraction >= NEAR ? 'near' : 'ok',
				text: { used: write(used), cap: write(cap), fraction: Number.isFinite(fraction) ? percent(fraction) : 'n/a' },
			});
		};
		if (d.capacityPerHour !== undefined) add('capacityPerHour', 'Tickets, last hour', c.lastHour, d.capacityPerHour, thousands);
		if (d.capacityPerDay !== undefined) add('capacityPerDay', 'Tickets, last 24 hours', c.lastDay, d.capacityPerDay, thousands);
		if (d.capacityPerMonth !== undefined) add('capacityPerMonth', 'Tickets, this month', c.thisMonth, d.capacityPerMonth, thousands);
		if (d.monthlyBudget !== undefined) add('monthlyBudget', 'Cost, this month', c.costThisMonth, d.monthlyBudget, money);
		if (d.maxShare !== undefined) {
			const share = shareOf(c.inShareWindow, snapshot.delegatedInShareWindow);
			add('maxShare', `Share of delegated, last ${shareWindowDays} days`, share, d.maxShare, percentLine);
			limits[limits.length - 1].text.used = percent(share);
		}
		usage.push({ vendor: d.id, paused: d.paused, limits });
	}
	return usage;
}
