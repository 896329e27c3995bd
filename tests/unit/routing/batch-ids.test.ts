import { describe, expect, it } from 'vitest';

import { batchIds } from '../../../domain/routing/records';

describe('decision ids of a batch', () => {
	it('are one UUID v4 whose last 12 hex digits count up from zero, across every digit carry', () => {
		const next = batchIds();
		const ids = Array.from({ length: 4097 }, next);
		const prefix = ids[0].slice(0, 24);
		expect(prefix).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-$/);
		expect(ids.every((id) => id.length === 36 && id.startsWith(prefix))).toBe(true);
		// Written out by hand: each place a digit carries (9 → a, f → 10, ff → 100, fff → 1000).
		const tails: Array<[number, string]> = [
			[0, '000000000000'],
			[1, '000000000001'],
			[9, '000000000009'],
			[10, '00000000000a'],
			[15, '00000000000f'],
			[16, '000000000010'],
			[26, '00000000001a'],
			[255, '0000000000ff'],
			[256, '000000000100'],
			[4095, '000000000fff'],
			[4096, '000000001000'],
		];
		for (const [n, tail] of tails) expect(ids[n].slice(24)).toBe(tail);
		expect(new Set(ids).size).toBe(ids.length);
	});

	it('differ between batches, and an id handed out stays as it was while the batch counts on', () => {
		const a = batchIds();
		const b = batchIds();
		const first = a();
		const copy = `${first}`;
		for (let i = 0; i < 1000; i++) a();
		expect(first).toBe(copy);
		expect(b().slice(0, 24)).not.toBe(first.slice(0, 24));
	});
});
