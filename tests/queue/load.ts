export interface LoadRequest {
	url: string;
	body: unknown;
}

export interface LoadResult {
	/** HTTP status, or null when no response came (connection refused, timeout, not sent before the deadline). */
	status: number | null;
	body: unknown;
	/** Wall time from send to the full response body. */
	ms: number;
	error?: string;
}

export interface LoadOptions {
	/** Requests open at once (each waits for its webhook execution's response). */
	inFlight: number;
	/** A request without a response by then counts as failed (its ticket is retried later). */
	requestTimeoutMs: number;
	/** No new request starts after this much wall time; the rest come back unsent. */
	deadlineMs: number;
	/** Called after each response (or failure) with the number settled so far. */
	onSettled?: (settled: number) => void;
}

export interface LoadRun {
	results: LoadResult[];
	wallMs: number;
}

/**
 * A bounded load generator: every request is sent at most once, at most `inFlight` at a time, and nothing starts
 * after the deadline. Results keep the order of `requests`.
 */
export async function drive(requests: LoadRequest[], options: LoadOptions): Promise<LoadRun> {
	const results: LoadResult[] = requests.map(() => ({ status: null, body: null, ms: 0, error: 'not sent before the deadline' }));
	const started = Date.now();
	let next = 0;
	let settled = 0;

	const lane = async () => {
		while (next < requests.length && Date.now() - started < options.deadlineMs) {
			const index = next++;
			results[index] = await send(requests[index], options.requestTimeoutMs);
			options.onSettled?.(++settled);
		}
	};
	await Promise.all(Array.from({ length: Math.min(options.inFlight, requests.length) }, lane));
	return { results, wallMs: Date.now() - started };
}

async function send(request: LoadRequest, timeoutMs: number): Promise<LoadResult> {
	const sent = performance.now();
	try {
		const response = await fetch(request.url, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(request.body),
			signal: AbortSignal.timeout(timeoutMs),
		});
		const text = await response.text();
		let body: unknown = text;
		try {
			body = JSON.parse(text);
		} catch {
			// n8n's error pages are not JSON; keep the text for the failure message.
		}
		return { status: response.status, body, ms: performance.now() - sent };
	} catch (error) {
		return { status: null, body: null, ms: performance.now() - sent, error: (error as Error).message };
	}
}

/** Nearest-rank percentile (p in 0..100) of unsorted values. */
export function percentile(values: number[], p: number): number {
	if (values.length === 0) return NaN;
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}
