import type { DestinationKind } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import { concentrationRatio, effectiveVendors, herfindahl } from '../risk/concentration';
import { shareOf } from '../risk/share';
import type { GuardrailName } from './delegation';
import type { ReplayedDecision } from './simulate';
import { dictionary } from '../shared/dictionary';

export interface DestinationFigures {
	destination: string;
	name: string;
	kind: DestinationKind;
	tickets: number;
	/** Fraction of all replayed tickets. */
	share: number;
	/** Fraction of delegated tickets (vendors only; null for internal queues): the share the risk report and caps use. */
	shareOfDelegated: number | null;
	cost: number;
}

/** A guardrail that would have bound: how often it turned a ticket away from the destination its rule wanted. */
export interface BindingGuardrail {
	guardrail: GuardrailName;
	destination: string;
	tickets: number;
}

export interface PolicyFigures {
	policyVersion: string;
	scope: string;
	tickets: number;
	internal: number;
	delegated: number;
	/** Every destination of the policy, in policy order (those that got nothing show 0). */
	destinations: DestinationFigures[];
	concentration: {
		vendors: number;
		cr1: { vendor: string; share: number } | null;
		cr2: number;
		/** Σ (share of delegated, %)², 0..10,000. */
		hhi: number;
		effectiveVendors: number | null;
	};
	cost: { total: number; byVendor: Record<string, number> };
	/** Caps, budgets, share limits, quality and the rest, most binding first. */
	guardrails: BindingGuardrail[];
	/** Tickets per reason (rule kind, default, overflow). */
	reasons: Record<string, number>;
}

/** The figures of one replay: counts, shares and concentration over the replayed tickets (the risk report's definitions). */
export function policyFigures(policy: CompiledPolicy, decisions: readonly ReplayedDecision[]): PolicyFigures {
	const count = new Map<string, number>(policy.destinations.map((d) => [d.id, 0]));
	const reasons: Record<string, number> = {};
	const binding = new Map<string, BindingGuardrail>();
	for (const d of decisions) {
		count.set(d.destination, count.get(d.destination)! + 1);
		reasons[d.reason] = (reasons[d.reason] ?? 0) + 1;
		if (d.guardrail) {
			const key = `${d.guardrail.name}\u0000${d.guardrail.wanted}`;
			const b = binding.get(key);
			if (b) b.tickets++;
			else binding.set(key, { guardrail: d.guardrail.name, destination: d.guardrail.wanted, tickets: 1 });
		}
	}
	let delegated = 0;
	for (const d of policy.destinations) if (d.kind === 'external') delegated += count.get(d.id)!;
	const total = decisions.length;
	const byVendor = dictionary<number>();
	let totalCost = 0;
	const destinations = policy.destinations.map((d): DestinationFigures => {
		const tickets = count.get(d.id)!;
		const cost = tickets * d.costPerTicket;
		totalCost += cost;
		if (d.kind === 'external') byVendor[d.id] = cost;
		return {
			destination: d.id,
			name: d.name || d.id,
			kind: d.kind,
			tickets,
			share: shareOf(tickets, total),
			shareOfDelegated: d.kind === 'external' ? shareOf(tickets, delegated) : null,
			cost,
		};
	});
	const vendors = destinations.filter((d) => d.kind === 'external' && d.tickets > 0).sort((a, b) => b.tickets - a.tickets);
	const shares = vendors.map((v) => v.shareOfDelegated!);
	const hhi = herfindahl(shares);
	return {
		policyVersion: policy.version,
		scope: policy.scope,
		tickets: total,
		internal: total - delegated,
		delegated,
		destinations,
		concentration: {
			vendors: vendors.length,
			cr1: vendors.length ? { vendor: vendors[0].destination, share: vendors[0].shareOfDelegated! } : null,
			cr2: concentrationRatio(shares, 2),
			hhi,
			effectiveVendors: effectiveVendors(hhi),
		},
		cost: { total: totalCost, byVendor },
		guardrails: [...binding.values()].sort((a, b) => b.tickets - a.tickets || (a.guardrail < b.guardrail ? -1 : 1)),
		reasons,
	};
}
