import type { CompiledRule, Target } from '../policy/compile';
import type { Moment } from '../policy/moment';
import type { PeakPeriod } from '../policy/schema';

/** The threshold overflow compares load with now, and where it came from (for the decision's explanation). */
export interface OverflowThreshold {
	value: number;
	basis: 'capacityPerHour' | 'backlogLimit';
	/** The peak period whose threshold applies, or null for the rule's own. */
	peak: string | null;
}

/**
 * The threshold now: the first peak period in force that sets one for this kind of load, else the rule's. A peak
 * period is in force between its dates (inclusive, local calendar) and/or while its schedule is open (withinSchedule)
 * or closed (outsideSchedule); every part it gives must hold.
 */
export function overflowThreshold(rule: CompiledRule, moment: Moment, loadGiven: boolean): OverflowThreshold {
	const o = rule.overflow!;
	// A given load is a backlog figure; a counted one is tickets per hour.
	const pick = (t: { capacityPerHour?: number; backlogLimit?: number }) =>
		loadGiven
			? t.backlogLimit !== undefined
				? { value: t.backlogLimit, basis: 'backlogLimit' as const }
				: t.capacityPerHour !== undefined
					? { value: t.capacityPerHour, basis: 'capacityPerHour' as const }
					: null
			: t.capacityPerHour !== undefined
				? { value: t.capacityPerHour, basis: 'capacityPerHour' as const }
				: t.backlogLimit !== undefined
					? { value: t.backlogLimit, basis: 'backlogLimit' as const }
					: null;
	for (const p of o.peakPeriods) {
		if (!inForce(p, moment)) continue;
		const own = pick(p);
		if (own) return { ...own, peak: p.name };
	}
	return { ...pick(o)!, peak: null };
}

function inForce(p: PeakPeriod, moment: Moment): boolean {
	const today = moment.at.date;
	if (p.from !== undefined && p.to !== undefined && !(p.from <= today && today <= p.to)) return false;
	if (p.withinSchedule !== undefined && !moment.schedule(p.withinSchedule).open) return false;
	if (p.outsideSchedule !== undefined && moment.schedule(p.outsideSchedule).open) return false;
	return true;
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
