/**
 * A Map that keeps at most `limit` entries, dropping the oldest first: what a process compiles once and reuses across
 * executions (policies, ticket mappings), bounded however many distinct ones its workflows hold over its life.
 */
export class BoundedCache<K, V> {
	private readonly entries = new Map<K, V>();

	constructor(private readonly limit: number) {}

	get(key: K): V | undefined {
		return this.entries.get(key);
	}

	set(key: K, value: V): void {
		if (!this.entries.has(key) && this.entries.size >= this.limit) this.entries.delete(this.entries.keys().next().value!);
		this.entries.set(key, value);
	}

	/** The value kept for `key`, made by `make` and kept when there is none. */
	of(key: K, make: () => V): V {
		let value = this.entries.get(key);
		if (value === undefined) this.set(key, (value = make()));
		return value;
	}
}
