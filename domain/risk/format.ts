/** How the report writes numbers in messages people read in Slack or e-mail. */

export function percent(fraction: number): string {
	return `${(fraction * 100).toFixed(1)}%`;
}

/** A threshold as people set it: 30%, not 30.0%. */
export function percentLine(fraction: number): string {
	return `${Number((fraction * 100).toFixed(1))}%`;
}

export function points(delta: number): string {
	const value = (Math.abs(delta) * 100).toFixed(1);
	return delta >= 0 ? `up ${value} points` : `down ${value} points`;
}

export function thousands(value: number): string {
	return Math.round(value).toLocaleString('en-US');
}

/** A fraction that may be unknown (no outcomes yet): "n/a" rather than 0%. */
export function percentOrNa(fraction: number | null): string {
	return fraction === null ? 'n/a' : percent(fraction);
}

/** A change in share as people write it: "+5.0 pts", "−2.3 pts" (a true minus sign), "±0.0 pts". */
export function signedPoints(delta: number | null): string {
	if (delta === null) return 'n/a';
	const value = (Math.abs(delta) * 100).toFixed(1);
	if (value === '0.0') return '±0.0 pts';
	return `${delta > 0 ? '+' : '\u2212'}${value} pts`;
}

/** Money with two decimals and thousands separators, no currency (the policy does not name one): 1,234.50. */
export function money(amount: number): string {
	return amount.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A ratio such as effective vendors or average CSAT: two decimals, "n/a" when unknown. */
export function decimal(value: number | null): string {
	return value === null ? 'n/a' : value.toFixed(2);
}
