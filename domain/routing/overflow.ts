import type { CompiledRule, Target } from '../policy/compile';
import type { ZonedTime } from '../policy/time';

/** The threshold overflow compares load with today: a peak period's own, else the rule's. */
export function overflowThreshold(rule: CompiledRule, today: ZonedTime, loadGiven: boolean): number {
	const o = rule.overflow!;
	const peak = o.peakPeriods.find((p) => p.from <= today.date && today.date <= p.to);
	const pick = (capacityPerHour?: number, backlogLimit?: number) =>
		// A given load is a backlog figure; a counted one is tickets per hour.
		loadGiven ? (backlogLimit ?? capacityPerHour) : (capacityPerHour ?? backlogLimit);
	return (peak && pick(peak.capacityPerHour, peak.backlogLimit)) || pick(o.capacityPerHour, o.backlogLimit)!;
}

/**
 * Hysteresis: overflow turns on when load reaches onAt × threshold and only turns off again once load
 * falls below offAt × threshold, so a load hovering near the threshold does not flip routing every batch.
 */
export function nextOverflowState(active: boolean, load: number, threshold: number, onAt: number, offAt: number): boolean {
	if (!active) return load >= onAt * threshold;
	return load >= offAt * threshold;
}

/**
 * Overflow vendors in the order this ticket should try them. Weighted rendezvous hashing: each vendor
 * scores -ln(u)/weight with u a hash of (ticket, vendor); the lowest score wins. Over many tickets each
 * vendor wins in proportion to its weight, the same ticket always gets the same order (re-runs agree),
 * and when the first choice is saturated the next one is still weight-proportional.
 */
export function overflowOrder(ticketId: string, targets: Target[]): Target[] {
	if (targets.length < 2) return targets;
	return targets
		.map((t) => ({ t, score: -Math.log(unitHash(ticketId, t.destination.id)) / t.weight }))
		.sort((a, b) => a.score - b.score)
		.map((s) => s.t);
}

/** FNV-1a over both strings with a final avalanche, mapped into (0, 1). */
function unitHash(a: string, b: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < a.length; i++) h = Math.imul(h ^ a.charCodeAt(i), 0x01000193);
	h = Math.imul(h ^ 0xff, 0x01000193);
	for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b.charCodeAt(i), 0x01000193);
	h ^= h >>> 16;
	h = Math.imul(h, 0x85ebca6b);
	h ^= h >>> 13;
	h = Math.imul(h, 0xc2b2ae35);
	h ^= h >>> 16;
	return ((h >>> 0) + 0.5) / 4294967296;
}
