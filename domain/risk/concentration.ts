/**
 * Concentration measures over vendor shares (fractions of delegated tickets, summing to 1).
 * HHI uses shares in percent, as competition authorities do: one vendor alone is 10,000.
 */

/** Herfindahl–Hirschman index: Σ (share in %)², 0..10,000; 0 when nothing was delegated. */
export function herfindahl(shares: readonly number[]): number {
	let sum = 0;
	for (const share of shares) sum += (share * 100) ** 2;
	return sum;
}

/** The number of equally sized vendors that would give the same HHI; null when nothing was delegated. */
export function effectiveVendors(hhi: number): number | null {
	return hhi > 0 ? 10_000 / hhi : null;
}

/** Concentration ratio: the combined share of the k largest vendors. */
export function concentrationRatio(shares: readonly number[], k: number): number {
	return [...shares]
		.sort((a, b) => b - a)
		.slice(0, k)
		.reduce((sum, share) => sum + share, 0);
}
