import { KeyedTree, type KeyPart } from '../../domain/shared/keyed-tree';
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

/**
 * A map keyed by a dimension's six fields (null and '' are different keys): looked up once per decision written, it
 * builds no key string at all, and two different dimensions can never meet, whatever characters their labels hold (a
 * key joined with NUL counted topic "a\0b" + channel "c" and topic "a" + channel "b\0c" as one).
 */
class DimensionMap<V> {
	private readonly tree = new KeyedTree<V>(6);
	/** The key buffer, filled per lookup (no array a lookup). */
	private readonly path: KeyPart[] = [null, null, null, null, null, null];

	get(d: Dimension): V | undefined {
		return this.tree.get(this.keyOf(d));
	}

	set(d: Dimension, value: V) {
		this.tree.set(this.keyOf(d), value);
	}

	private keyOf(d: Dimension): KeyPart[] {
		const path = this.path;
		path[0] = d.kind;
		path[1] = d.vendor;
		path[2] = d.reason;
		path[3] = d.topic;
		path[4] = d.channel;
		path[5] = d.language;
		return path;
	}
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
