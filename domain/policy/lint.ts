import type { CompiledPolicy, CompiledRule } from './compile';
import { placeOf } from './place';

/** A policy that parses but will certainly misbehave downstream: said before any ticket is routed. */
export interface PolicyWarning {
	/** Stable code, for tests and for people searching the README. */
	code: 'vendorWithoutDpa' | 'vendorWithoutFields' | 'unreachableDestination' | 'ruleNeverMatches' | 'allTargetsPaused' | 'uncappedSpareCapacity';
	message: string;
}

/**
 * What will certainly go wrong with this policy: a vendor Provider Handoff will refuse (no DPA, no allowed fields),
 * a destination no rule sends anything to, a rule that can never match because an earlier rule takes every ticket,
 * a rule whose vendors are all paused, a spare-capacity rule where an uncapped vendor would take everything.
 * Computed once per compiled policy; the node shows these as warnings on its output.
 */
export function lintPolicy(compiled: CompiledPolicy): PolicyWarning[] {
	const { policy } = compiled;
	const warnings: PolicyWarning[] = [];
	const destinationAt = (id: string) => placeOf(['destinations', compiled.destinationIndex.get(id)!], policy);
	const ruleAt = (i: number) => placeOf(['rules', compiled.rules[i].position], policy);

	const reached = new Set([compiled.defaultDestination.id, compiled.internalFallback.id]);
	for (const rule of compiled.rules) for (const t of rule.targets) reached.add(t.destination.id);

	for (const d of policy.destinations) {
		if (d.kind === 'external' && !d.dpa) {
			warnings.push({
				code: 'vendorWithoutDpa',
				message: `${destinationAt(d.id)} has no data processing agreement on file (dpa): Provider Handoff refuses every ticket routed to it. Turn on "DPA on File" once the agreement is signed.`,
			});
		}
		if (d.kind === 'external' && d.allowedFields.length === 0) {
			warnings.push({
				code: 'vendorWithoutFields',
				message: `${destinationAt(d.id)} may receive no ticket fields (allowedFields is empty): Provider Handoff refuses every ticket routed to it. List the fields it may see, e.g. id, subject, description.`,
			});
		}
		if (!reached.has(d.id)) {
			warnings.push({ code: 'unreachableDestination', message: `${destinationAt(d.id)} is not the target of any rule nor the default destination: no ticket will go there.` });
		}
	}

	let catchAll: number | null = null;
	compiled.rules.forEach((rule, i) => {
		if (catchAll !== null) {
			warnings.push({
				code: 'ruleNeverMatches',
				message: `${ruleAt(i)} can never match: ${ruleAt(catchAll)} before it has no conditions and takes every ticket.`,
			});
		}
		if (catchAll === null && rule.kind !== 'overflow' && matchesEverything(rule.when)) catchAll = i;
		if (rule.targets.length > 0 && rule.targets.every((t) => t.destination.kind === 'external' && t.destination.paused)) {
			warnings.push({ code: 'allTargetsPaused', message: `${ruleAt(i)}: every target is paused, so its tickets go to the fallback destination.` });
		}
		if (rule.strategy === 'spareCapacity') {
			const uncapped = rule.targets.filter((t) => !hasCountCap(t.destination));
			if (uncapped.length > 0 && uncapped.length < rule.targets.length) {
				warnings.push({
					code: 'uncappedSpareCapacity',
					message: `${ruleAt(i)} spreads by spare capacity, but ${uncapped.map((t) => `"${t.destination.id}"`).join(', ')} has no cap, so always has the most room and takes every ticket. Give each target a capacity or a budget.`,
				});
			}
		}
	});
	return warnings;
}

function matchesEverything(when: CompiledRule['when']): boolean {
	return Object.values(when).every((v) => v === undefined || (Array.isArray(v) && v.length === 0));
}

function hasCountCap(d: { capacityPerHour?: number; capacityPerDay?: number; capacityPerMonth?: number; monthlyBudget?: number; costPerTicket: number }): boolean {
	return d.capacityPerHour !== undefined || d.capacityPerDay !== undefined || d.capacityPerMonth !== undefined || (d.monthlyBudget !== undefined && d.costPerTicket > 0);
}
