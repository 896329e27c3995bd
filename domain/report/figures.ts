import { decimal, money, percent, percentOrNa, signedPoints, thousands } from '../risk/format';
import type { Concentration, RiskTotals, VendorRisk } from '../risk/report';

/**
 * The report's figures as people read them (54.5%, 1,234, +5.0 pts), kept beside the raw numbers in the node's
 * output and shown by the page: one place decides how each figure is written.
 */

export function vendorText(v: VendorRisk) {
	return {
		tickets: thousands(v.tickets),
		shareOfDelegated: percent(v.shareOfDelegated),
		shareOfAll: percent(v.shareOfAll),
		shareOfCost: percent(v.shareOfCost),
		cost: money(v.cost),
		previousShare: percentOrNa(v.previousShare),
		change: signedPoints(v.change),
		slaAttainment: percentOrNa(v.slaAttainment),
		reopenRate: percentOrNa(v.reopenRate),
		averageCsat: decimal(v.averageCsat),
	};
}

/** `previousDelegated`: with nothing delegated in the previous window its HHI is not 0 but unknown. */
export function concentrationText(c: Concentration, previousDelegated: number) {
	return {
		cr1: c.cr1 ? `${c.cr1.vendor} ${percent(c.cr1.share)}` : 'n/a',
		cr2: percent(c.cr2),
		hhi: thousands(c.hhi),
		previousHhi: previousDelegated > 0 ? thousands(c.previousHhi) : 'n/a',
		effectiveVendors: decimal(c.effectiveVendors),
	};
}

export function totalsText(t: RiskTotals) {
	return {
		tickets: thousands(t.tickets),
		internal: thousands(t.internal),
		delegated: thousands(t.delegated),
		delegatedShare: percent(t.tickets ? t.delegated / t.tickets : 0),
		delegatedCost: money(t.delegatedCost),
	};
}
