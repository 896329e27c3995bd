import type { QualityCounts } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import { startOfMonth } from '../policy/time';
import type { Ticket } from '../ticket/ticket';
import { decide, snapshotRequest } from './decide';
import type { DelegationReason, GuardrailName } from './delegation';
import { policyFigures, type PolicyFigures } from './simulate-figures';
import { ReplayCounts, type ReplayEntry } from './simulate-counts';

/**
 * Policy simulation: what a policy would have done with a set of tickets, replayed in created-at order through the
 * router's own decide() one ticket at a time, with the guardrails counting as the ledger would have at each ticket's
 * created-at time (caps per hour/day/month, budgets, share caps, overflow load and hysteresis, quality). Pure: it
 * reads a starting state and writes nothing.
 */

/** Where the replay starts: empty, or the ledger's state before the first ticket. */
export interface SimulationStart {
	/** Decisions before the first ticket, oldest first (those still inside a window at the first ticket count). */
	history: ReplayEntry[];
	overflowActive: Record<string, boolean>;
	/** Quality counts and state per vendor: outcomes of the replayed tickets are unknown, so these hold throughout. */
	quality?: Record<string, QualityCounts>;
	qualityBelow?: Record<string, boolean>;
}

export const EMPTY_START: SimulationStart = { history: [], overflowActive: {} };

/** One replayed decision: what the figures and the comparison need of a Delegation. */
export interface ReplayedDecision {
	destination: string;
	reason: DelegationReason;
	ruleId: string | null;
	guardrail: { name: GuardrailName; wanted: string } | null;
}

const MONTH_AHEAD = 32 * 86_400_000;

/**
 * Replays `tickets` (in created-at order, each with a createdAt) under `policy`. Each ticket is a batch of one decided
 * at its created-at time, as a router fed ticket by ticket would decide it.
 */
export function replayPolicy(tickets: readonly Ticket[], policy: CompiledPolicy, start: SimulationStart): ReplayedDecision[] {
	const template = snapshotRequest(policy, [], 0);
	const counts = new ReplayCounts(template);
	for (const e of start.history) counts.add(e);
	const state = { overflowActive: { ...start.overflowActive }, quality: start.quality, qualityBelow: start.qualityBelow ? { ...start.qualityBelow } : undefined };
	const newId = () => 'simulated';
	const out = new Array<ReplayedDecision>(tickets.length);
	// The month's start, recomputed only when a ticket crosses into the next month (the replay is in time order).
	let monthStart = 0;
	let nextMonth = -Infinity;
	for (let i = 0; i < tickets.length; i++) {
		const ticket = tickets[i];
		const now = ticket.createdAt!;
		if (now >= nextMonth || now < monthStart) {
			monthStart = startOfMonth(now, policy.timezone);
			nextMonth = startOfMonth(monthStart + MONTH_AHEAD, policy.timezone);
		}
		const snapshot = counts.snapshotAt(now, monthStart, policy.externalIds, state);
		const batch = decide([ticket], policy, snapshot, { now, dryRun: true, newId });
		const d = batch.delegations[0];
		counts.add({ at: now, kind: d.kind, vendor: d.vendor, cost: d.costEstimate });
		state.overflowActive = batch.overflowActive;
		if (state.quality) state.qualityBelow = batch.qualityBelow;
		out[i] = { destination: d.destination, reason: d.reason, ruleId: d.ruleId, guardrail: d.guardrail && { name: d.guardrail.name, wanted: d.guardrail.wanted } };
	}
	return out;
}

export interface TicketMove {
	ticketId: string;
	/** ISO 8601. */
	createdAt: string;
	current: ReplayedDecision;
	draft: ReplayedDecision;
}

export interface SimulationReport {
	tickets: number;
	/** The replayed period: first and last created-at (ISO 8601). */
	period: { from: string; to: string } | null;
	start: 'empty' | 'ledger';
	current: PolicyFigures;
	draft: PolicyFigures;
	changes: {
		/** Tickets whose destination differs between the two policies. */
		tickets: number;
		share: number;
		/** How many tickets move from one destination to another, largest first. */
		moves: Array<{ from: string; to: string; tickets: number }>;
		/** The first moved tickets in created-at order, at most the sample size. */
		sample: TicketMove[];
	};
}

export interface SimulationInput {
	tickets: readonly Ticket[];
	current: CompiledPolicy;
	draft: CompiledPolicy;
	start: 'empty' | 'ledger';
	/** Per policy (each has its own scope); EMPTY_START when starting from empty. */
	currentStart: SimulationStart;
	draftStart: SimulationStart;
	sampleSize: number;
}

/** Tickets in created-at order; equal times keep their input order. Every ticket must have a createdAt. */
export function inCreatedOrder(tickets: readonly Ticket[]): Ticket[] {
	return tickets
		.map((t, i) => ({ t, i }))
		.sort((a, b) => a.t.createdAt! - b.t.createdAt! || a.i - b.i)
		.map(({ t }) => t);
}

/** Both policies over the same tickets, side by side, and the tickets that would move. */
export function simulatePolicies(input: SimulationInput): SimulationReport {
	const tickets = inCreatedOrder(input.tickets);
	const current = replayPolicy(tickets, input.current, input.currentStart);
	const draft = replayPolicy(tickets, input.draft, input.draftStart);
	const moves = new Map<string, { from: string; to: string; tickets: number }>();
	const sample: TicketMove[] = [];
	let moved = 0;
	for (let i = 0; i < tickets.length; i++) {
		if (current[i].destination === draft[i].destination) continue;
		moved++;
		const key = `${current[i].destination}\u0000${draft[i].destination}`;
		const m = moves.get(key);
		if (m) m.tickets++;
		else moves.set(key, { from: current[i].destination, to: draft[i].destination, tickets: 1 });
		if (sample.length < input.sampleSize) {
			sample.push({ ticketId: tickets[i].id, createdAt: new Date(tickets[i].createdAt!).toISOString(), current: current[i], draft: draft[i] });
		}
	}
	return {
		tickets: tickets.length,
		period: tickets.length ? { from: new Date(tickets[0].createdAt!).toISOString(), to: new Date(tickets[tickets.length - 1].createdAt!).toISOString() } : null,
		start: input.start,
		current: policyFigures(input.current, current),
		draft: policyFigures(input.draft, draft),
		changes: {
			tickets: moved,
			share: tickets.length ? moved / tickets.length : 0,
			moves: [...moves.values()].sort((a, b) => b.tickets - a.tickets || (a.from + a.to < b.from + b.to ? -1 : 1)),
			sample,
		},
	};
}
