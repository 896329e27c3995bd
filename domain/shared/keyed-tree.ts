/** A key part: null and '' are different keys. */
export type KeyPart = string | null;

type Level = Map<KeyPart, unknown>;

/**
 * A map keyed by a fixed number of parts, one Map level per part. A lookup walks the levels with the caller's parts
 * in a buffer it reuses, so a hot path builds no key string at all (a string per lookup was hundreds of bytes of
 * garbage a decision in a 10,000-ticket batch), and two different lists of parts can never meet, whatever characters
 * they hold (parts joined with a separator can: "a\0b" + "c" and "a" + "b\0c").
 */
export class KeyedTree<V> {
	private readonly root: Level = new Map();

	/** @param depth how many parts a key has: a path's first `depth` entries are read, the rest ignored. */
	constructor(private readonly depth: number) {}

	get(path: readonly KeyPart[]): V | undefined {
		let level = this.root;
		const last = this.depth - 1;
		for (let i = 0; i < last; i++) {
			const next = level.get(path[i]) as Level | undefined;
			if (next === undefined) return undefined;
			level = next;
		}
		return level.get(path[last]) as V | undefined;
	}

	set(path: readonly KeyPart[], value: V): void {
		let level = this.root;
		const last = this.depth - 1;
		for (let i = 0; i < last; i++) {
			let next = level.get(path[i]) as Level | undefined;
			if (next === undefined) {
				next = new Map();
				level.set(path[i], next);
			}
			level = next;
		}
		level.set(path[last], value);
	}
}
