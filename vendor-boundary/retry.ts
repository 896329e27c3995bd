export interface RetryPolicy {
	/** Retries after the first attempt. */
	maxRetries: number;
	baseDelayMs: number;
	/** Longest wait between attempts; a Retry-After above it ends the retries instead of being cut short. */
	maxDelayMs: number;
}

/**
 * Exponential backoff with equal jitter: attempt n waits between half and all of base·2^(n-1), capped.
 * The jitter spreads a burst of failed hand-offs so they do not hit a recovering vendor together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
	const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
	return Math.round(ceiling / 2 + random() * (ceiling / 2));
}

/** Retry-After as delta-seconds or an HTTP date; null when absent or unreadable. */
export function parseRetryAfter(header: unknown, nowMs: number): number | null {
	if (typeof header !== 'string' || header.trim() === '') return null;
	const value = header.trim();
	if (/^\d+(\.\d+)?$/.test(value)) return Math.round(Number(value) * 1000);
	const date = Date.parse(value);
	if (Number.isNaN(date)) return null;
	return Math.max(0, date - nowMs);
}
