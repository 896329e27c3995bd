import type { AggregateRow } from '../../ledger/model';
import { UNKNOWN_VENDOR } from './report';
import { shareOf, vendorShares } from './share';

export interface VendorSummary {
	vendor: string;
	tickets: number;
	/** Fraction of delegated tickets: the same share the router caps and the risk report flags. */
	share: number;
	shareOfAll: number;
	cost: number;
	shareOfCost: number;
}

export interface ReasonSummary {
	reason: string;
	tickets: number;
	internal: number;
	delegated: number;
	cost: number;
}

export interface DelegationSummary {
	tickets: number;
	internal: number;
	delegated: number;
	cost: number;
	byVendor: VendorSummary[];
	byReason: ReasonSummary[];
}

/** Counts, shares and cost per vendor and per reason from one window's aggregates. */
export function summarizeDelegations(rows: readonly AggregateRow[]): DelegationSummary {
	const summary: DelegationSummary = { tickets: 0, internal: 0, delegated: 0, cost: 0, byVendor: [], byReason: [] };
	const vendors = new Map<string, { tickets: number; cost: number }>();
	const reasons = new Map<string, ReasonSummary>();
	let delegatedCost = 0;
	for (const row of rows) {
		summary.tickets += row.count;
		summary.cost += row.cost;
		let reason = reasons.get(row.reason);
		if (!reason) {
			reason = { reason: row.reason, tickets: 0, internal: 0, delegated: 0, cost: 0 };
			reasons.set(row.reason, reason);
		}
		reason.tickets += row.count;
		reason.cost += row.cost;
		if (row.kind === 'internal') {
			summary.internal += row.count;
			reason.internal += row.count;
			continue;
		}
		summary.delegated += row.count;
		reason.delegated += row.count;
		delegatedCost += row.cost;
		const name = row.vendor ?? UNKNOWN_VENDOR;
		const vendor = vendors.get(name) ?? { tickets: 0, cost: 0 };
		vendor.tickets += row.count;
		vendor.cost += row.cost;
		vendors.set(name, vendor);
	}
	const shares = vendorShares(Object.fromEntries([...vendors].map(([name, v]) => [name, v.tickets])));
	summary.byVendor = [...vendors]
		.map(([vendor, v]) => ({
			vendor,
			tickets: v.tickets,
			share: shares[vendor],
			shareOfAll: shareOf(v.tickets, summary.tickets),
			cost: v.cost,
			shareOfCost: shareOf(v.cost, delegatedCost),
		}))
		.sort((a, b) => b.tickets - a.tickets || (a.vendor < b.vendor ? -1 : 1));
	summary.byReason = [...reasons.values()].sort((a, b) => b.tickets - a.tickets || (a.reason < b.reason ? -1 : 1));
	return summary;
}
