import { describe, expect, it } from 'vitest';

import { BoundedCache } from '../../../domain/shared/bounded-cache';

describe('a bounded cache', () => {
	it('keeps at most its limit, dropping the oldest entry first', () => {
		const cache = new BoundedCache<string, number>(2);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('c', 3);
		expect([cache.get('a'), cache.get('b'), cache.get('c')]).toEqual([undefined, 2, 3]);
	});

	it('setting a key it holds replaces the value and drops nothing', () => {
		const cache = new BoundedCache<string, number>(2);
		cache.set('a', 1);
		cache.set('b', 2);
		cache.set('b', 20);
		expect([cache.get('a'), cache.get('b')]).toEqual([1, 20]);
	});

	it('makes a missing value once and hands the kept one back after', () => {
		const cache = new BoundedCache<string, object>(4);
		let made = 0;
		const make = () => ({ n: ++made });
		const first = cache.of('k', make);
		expect(cache.of('k', make)).toBe(first);
		expect(made).toBe(1);
	});
});
