/** Seeded generator (mulberry32): a failing case can be replayed from its seed. */
export function seeded(seed: number) {
	let state = seed >>> 0;
	const next = () => {
		state = (state + 0x6d2b79f5) | 0;
		let t = Math.imul(state ^ (state >>> 15), 1 | state);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
	const int = (n: number) => Math.floor(next() * n);
	const pick = <T>(list: readonly T[]): T => list[int(list.length)];
	return { next, int, pick, chance: (p: number) => next() < p };
}
export type Random = ReturnType<typeof seeded>;

const STRINGS = [
	'',
	' ',
	'refund',
	'REFUND!!',
	'Rückerstattung',
	'返金してください',
	'ขอคืนเงิน',
	'возврат денег',
	'استرداد',
	'🔥💸🧾',
	'\u0000\u0001\u200b',
	'e\u0301',
	'\ud800',
	'chargeback chargeback',
	'null',
	'undefined',
	'__proto__',
	'constructor',
	'a,b,,c',
	'vip',
	'legal',
];

/** Any JSON-ish value a webhook could send, including the awkward ones. */
export function value(r: Random, depth = 0): unknown {
	switch (r.int(depth > 2 ? 7 : 10)) {
		case 0:
			return null;
		case 1:
			return undefined;
		case 2:
			return r.pick([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, 1_780_000_000, 9e15, -0]);
		case 3:
			return r.chance(0.5);
		case 4:
		case 5:
		case 6:
			return r.pick(STRINGS) + (r.chance(0.2) ? r.pick(STRINGS) : '');
		case 7:
			return Array.from({ length: r.int(4) }, () => value(r, depth + 1));
		default: {
			const o: Record<string, unknown> = {};
			for (let i = r.int(4); i > 0; i--) o[r.pick(['id', 'subject', 'body', 'tier', 'region', '__proto__', 'x'])] = value(r, depth + 1);
			return o;
		}
	}
}

/** A ticket payload: mostly plausible, every field sometimes wrong. */
export function payload(r: Random, n: number): Record<string, unknown> {
	const p: Record<string, unknown> = {};
	if (r.chance(0.9)) p.id = r.chance(0.8) ? `T-${r.int(n)}` : value(r);
	if (r.chance(0.8)) p.subject = r.chance(0.7) ? r.pick(STRINGS) : value(r);
	if (r.chance(0.8)) p.body = r.chance(0.01) ? 'x'.repeat(1_000_000) + ' refund' : r.chance(0.7) ? r.pick(STRINGS).repeat(1 + r.int(50)) : value(r);
	if (r.chance(0.5)) p.tags = r.chance(0.5) ? [r.pick(STRINGS), value(r)] : value(r);
	for (const field of ['category', 'language', 'channel', 'priority', 'createdAt']) if (r.chance(0.5)) p[field] = value(r);
	if (r.chance(0.5)) p.customer = r.chance(0.7) ? { tier: value(r), region: r.pick(['eu', 'us', null, 'EU', 42]) } : value(r);
	return p;
}
