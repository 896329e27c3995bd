import type { Dimension } from '../model';

/**
 * Dimension ids are assigned once and never change meaning, so every process can cache them forever;
 * a miss only means another process (or an earlier run) created the dimension.
 */
export class DimensionCache {
	private byFields = new DimensionMap<number>();
	private byId = new Map<number, Dimension>();

	idOf(d: Dimension): number | undefined {
		return this.byFields.get(d);
	}

	get(id: number): Dimension | undefined {
		return this.byId.get(id);
	}

	remember(id: number, d: Dimension) {
		this.byFields.set(d, id);
		this.byId.set(id, d);
	}

	/** Remembers every dimension of this cache in `other` too. */
	copyInto(other: DimensionCache) {
		for (const [id, d] of this.byId) other.remember(id, d);
	}

	/** A transaction's own cache: what it learns joins this one only once it commits. */
	pending(): PendingDimensions {
		return new PendingDimensions(this);
	}

	/** The distinct dimensions among `items` that have no id yet. */
	missing(items: Dimension[]): Dimension[] {
		const seen = new DimensionMap<true>();
		const out: Dimension[] = [];
		for (const d of items) {
			if (this.byFields.get(d) !== undefined || seen.get(d)) continue;
			seen.set(d, true);
			out.push(d);
		}
		return out;
	}
}

/**
 * Dimensions a transaction created or first saw, kept apart until it commits: a rolled-back dimension's id never
 * existed. SQLite hands the same rowid to the next new dimension, and other PostgreSQL sessions never see it, so rows
 * written later under a remembered id would be counted under another dimension's labels, or under none.
 */
export class PendingDimensions {
	private readonly learnt = new DimensionCache();

	constructor(private readonly cache: DimensionCache) {}

	learn(id: number, d: Dimension) {
		this.learnt.remember(id, d);
	}

	idOf(d: Dimension): number | undefined {
		return this.learnt.idOf(d);
	}

	/** The transaction committed: its dimensions are the ledger's for good. */
	committed() {
		this.learnt.copyInto(this.cache);
	}
}

type Level = Map<string | null, unknown>;

/**
 * A map keyed by a dimension's six fields, one Map level per field (null and '' are different keys): looked up once
 * per decision written, it builds no key string at all, and two different dimensions can never meet, whatever
 * characters their labels hold (a key joined with NUL counted topic "a\0b" + channel "c" and topic "a" +
 * channel "b\0c" as one).
 */
class DimensionMap<V> {
	private readonly root: Level = new Map();

	get(d: Dimension): V | undefined {
		const leaf = this.leaf(d, false);
		return leaf?.get(d.language) as V | undefined;
	}

	set(d: Dimension, value: V) {
		this.leaf(d, true)!.set(d.language, value);
	}

	/** The level holding languages for the dimension's other five fields (written out: no array per lookup). */
	private leaf(d: Dimension, create: boolean): Level | undefined {
		let level: Level | undefined = this.root;
		level = step(level, d.kind, create);
		if (level) level = step(level, d.vendor, create);
		if (level) level = step(level, d.reason, create);
		if (level) level = step(level, d.topic, create);
		if (level) level = step(level, d.channel, create);
		return level;
	}
}

function step(level: Level, key: string | null, create: boolean): Level | undefined {
	let next = level.get(key) as Level | undefined;
	if (!next && create) {
		next = new Map();
		level.set(key, next);
	}
	return next;
}

/** A dimensions table row → Dimension. */
export function toDimension(row: Record<string, unknown>): Dimension {
	const s = (v: unknown) => (v === null || v === undefined ? null : String(v));
	return {
		kind: row.kind as Dimension['kind'],
		vendor: s(row.vendor),
		reason: String(row.reason),
		topic: s(row.topic),
		channel: s(row.channel),
		language: s(row.language),
	};
}
