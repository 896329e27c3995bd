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
