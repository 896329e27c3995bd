import type { Dimension } from '../model';

/**
 * Dimension ids are assigned once and never change meaning, so every process can cache them forever;
 * a miss only means another process (or an earlier run) created the dimension.
 */
export class DimensionCache {
	private byKey = new Map<string, number>();
	private byId = new Map<number, Dimension>();

	idOf(d: Dimension): number | undefined {
		return this.byKey.get(memoryKey(d));
	}

	get(id: number): Dimension | undefined {
		return this.byId.get(id);
	}

	remember(id: number, d: Dimension) {
		this.byKey.set(memoryKey(d), id);
		this.byId.set(id, d);
	}

	/** The distinct dimensions among `items` that have no id yet. */
	missing(items: Dimension[]): Dimension[] {
		const out = new Map<string, Dimension>();
		for (const d of items) {
			const key = memoryKey(d);
			if (!this.byKey.has(key) && !out.has(key)) out.set(key, d);
		}
		return [...out.values()];
	}
}

/**
 * The in-process lookup key, looked up once per decision written: plain concatenation is several times cheaper
 * than the JSON `dimensionKey` stored in the table. Control characters keep NULL and '' (and the fields) apart.
 */
function memoryKey(d: Dimension): string {
	const f = (v: string | null) => (v === null ? '\u0001' : v);
	return `${d.kind}\u0000${f(d.vendor)}\u0000${d.reason}\u0000${f(d.topic)}\u0000${f(d.channel)}\u0000${f(d.language)}`;
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
