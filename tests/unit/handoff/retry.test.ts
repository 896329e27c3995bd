import { describe, expect, it } from 'vitest';

import { backoffDelay, parseRetryAfter } from '../../../vendor-boundary/retry';

const policy = { maxRetries: 5, baseDelayMs: 100, maxDelayMs: 1_000 };

describe('backoff', () => {
	it('doubles each retry, jittered between half and all of the step', () => {
		expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 0))).toEqual([50, 100, 200]);
		expect([1, 2, 3].map((n) => backoffDelay(n, policy, () => 1))).toEqual([100, 200, 400]);
	});

	it('never exceeds the maximum delay', () => {
		expect(backoffDelay(10, policy, () => 1)).toBe(1_000);
		expect(backoffDelay(10, policy, () => 0)).toBe(500);
	});
});

describe('Retry-After', () => {
	const now = Date.parse('2026-11-26T10:00:00Z');
	it('reads delta seconds and HTTP dates', () => {
		expect(parseRetryAfter('2', now)).toBe(2_000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 10:00:30 GMT', now)).toBe(30_000);
		expect(parseRetryAfter('Thu, 26 Nov 2026 09:00:00 GMT', now)).toBe(0);
	});

	it('ignores what it cannot read', () => {
		expect(parseRetryAfter(undefined, now)).toBeNull();
		expect(parseRetryAfter('soon', now)).toBeNull();
		expect(parseRetryAfter('', now)).toBeNull();
	});
});
