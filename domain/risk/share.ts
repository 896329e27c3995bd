import { dictionary } from '../shared/dictionary';

/**
 * The one definition of "share" in this package: a vendor's fraction of the delegated (external)
 * tickets in a window. The router's max-share guardrail and the Vendor Risk report both call this,
 * so a vendor the report shows at 31% is the vendor the guardrail stops at 30%.
 */
export function shareOf(count: number, total: number): number {
	return total > 0 ? count / total : 0;
}

/** Shares of every vendor in a count map; sums to 1 when any count is positive. */
export function vendorShares(counts: Record<string, number>): Record<string, number> {
	let total = 0;
	for (const key in counts) total += counts[key];
	const shares = dictionary<number>();
	for (const key in counts) shares[key] = shareOf(counts[key], total);
	return shares;
}

/**
 * Would routing one more ticket to this vendor put its share above `maxShare`?
 * Below `minVolume` delegated tickets in the window the cap does not bite: the first ticket of a
 * quiet window is always 100% of it, and refusing it would only move that 100% to someone else.
 */
export function exceedsShareCap(
	vendorCount: number,
	totalDelegated: number,
	maxShare: number,
	minVolume: number,
): boolean {
	if (totalDelegated + 1 < minVolume) return false;
	return shareOf(vendorCount + 1, totalDelegated + 1) > maxShare;
}
