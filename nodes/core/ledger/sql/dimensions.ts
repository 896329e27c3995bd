import { dimensionKey, type Dimension } from '../rollup';

/**
 * Dimension ids are assigned once and never change meaning, so every process can cache them forever;
 * a miss only means another process (or an earlier run) created the dimension.
 */
export class DimensionCache {
	private byKey = new Map<string, number>();
	private byId = new Map<number, Dimension>();

	idOf(d: Dimension): number | undefined {
		return this.byKey.get(dimensionKey(d));
	}

	get(id: number): Dimension | undefined {
		return this.byId.get(id);
	}

	remember(id: number, d: Dimension) {
		this.byKey.set(dimensionKey(d), id);
		this.byId.set(id, d);
	}

	/** The distinct dimensions among `items` that have no id yet. */
	missing(items: Dimension[]): Dimension[] {
		const out = new Map<string, Dimension>();
		for (const d of items) {
			const key = dimensionKey(d);
			if (!this.byKey.has(key) && !out.has(key)) out.set(key, d);
		}
		return [...out.values()];
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
