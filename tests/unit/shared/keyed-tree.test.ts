import { describe, expect, it } from 'vitest';

import { KeyedTree } from '../../../domain/shared/keyed-tree';

describe('KeyedTree', () => {
	it('finds a value by all its parts, and nothing by a path that differs in any one part', () => {
		const tree = new KeyedTree<number>(3);
		tree.set(['billing', 'acme', 'en'], 1);
		expect(tree.get(['billing', 'acme', 'en'])).toBe(1);
		expect(tree.get(['billing', 'acme', 'de'])).toBeUndefined();
		expect(tree.get(['billing', 'globex', 'en'])).toBeUndefined();
		expect(tree.get(['refund', 'acme', 'en'])).toBeUndefined();
	});

	it("keeps null and '' apart", () => {
		const tree = new KeyedTree<string>(2);
		tree.set(['internal', null], 'no vendor');
		tree.set(['internal', ''], 'empty vendor');
		expect(tree.get(['internal', null])).toBe('no vendor');
		expect(tree.get(['internal', ''])).toBe('empty vendor');
	});

	it('never mixes up parts that would join into the same text', () => {
		const tree = new KeyedTree<string>(2);
		tree.set(['a\0b', 'c'], 'first');
		tree.set(['a', 'b\0c'], 'second');
		tree.set(['ab', 'c'], 'third');
		expect(tree.get(['a\0b', 'c'])).toBe('first');
		expect(tree.get(['a', 'b\0c'])).toBe('second');
		expect(tree.get(['ab', 'c'])).toBe('third');
	});

	it('reads only its depth from a longer buffer, so one buffer serves keys of different lengths', () => {
		const tree = new KeyedTree<string>(2);
		const path: Array<string | null> = ['rule-1', 'acme', 'left over from a longer key'];
		tree.set(path, 'short');
		path[2] = 'anything else';
		expect(tree.get(path)).toBe('short');
		expect(tree.get(['rule-1', 'acme'])).toBe('short');
	});

	it('keeps what was set when the caller refills its buffer afterwards, and a later set replaces the value', () => {
		const tree = new KeyedTree<number>(2);
		const path: Array<string | null> = ['x', 'y'];
		tree.set(path, 1);
		path[0] = 'z';
		tree.set(path, 2);
		expect(tree.get(['x', 'y'])).toBe(1);
		expect(tree.get(['z', 'y'])).toBe(2);
		tree.set(['x', 'y'], 3);
		expect(tree.get(['x', 'y'])).toBe(3);
	});
});
