import { randomUUID } from 'node:crypto';

import type { DelegationRecord, LedgerSnapshot, NewDelegation, SnapshotRequest } from '../../ledger/model';
import { matchRule, type CompiledPolicy, type CompiledRule } from '../policy/compile';
import type { Destination } from '../policy/schema';
import { startOfMonth, zonedTime } from '../policy/time';
import type { Ticket } from '../ticket/ticket';
import type { Delegation, DelegationReason } from './delegation';
import { BatchCounts, type Refusal } from './guardrails';
import { nextOverflowState, overflowOrder, overflowThreshold } from './overflow';
import { keptWithinCapacity } from './sweep';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DecideOptions {
	now: number;
	/** Nothing will be written: delegations say `dry-run`. */
	dryRun?: boolean;
	/** Decide again tickets that already have an open decision (a new row linked to the previous one). */
	reroute?: boolean;
	/** Current load given for this execution (e.g. a backlog count); when absent, load is counted from the ledger. */
	load?: number | null;
	/** False when the ledger is unavailable: count-based guardrails are skipped and delegations say `unavailable`. */
	ledgerAvailable?: boolean;
	/** Sweep backlog: the team keeps this many (most urgent, then oldest); the rest are delegated by the policy. */
	sweepCapacity?: number;
	workflowId?: string | null;
	executionId?: string | null;
	newId?: () => string;
}

export interface BatchDecision {
	/** One per input ticket, same order. */
	delegations: Delegation[];
	/** The rows to record: one per ticket newly decided (not for existing decisions or in-batch duplicates). */
	rows: NewDelegation[];
	overflowActive: Record<string, boolean>;
}

/** The counts a batch needs, for `ledger.routeBatch` or `ledger.snapshot`. */
export function snapshotRequest(policy: CompiledPolicy, tickets: Ticket[], now: number): SnapshotRequest {
	return {
		now,
		ticketIds: [...new Set(tickets.map((t) => t.id))],
		vendors: policy.externalIds,
		internalWindowMs: HOUR,
		shareWindowMs: policy.policy.guardrails.shareWindowDays * DAY,
		monthStart: startOfMonth(now, policy.timezone),
	};
}

/** A snapshot with nothing in it: what a batch decides on when the ledger cannot be read. */
export function emptySnapshot(now: number): LedgerSnapshot {
	return { now, internalInWindow: 0, delegatedInShareWindow: 0, vendors: {}, overflowActive: {}, open: {} };
}

interface Choice {
	destination: Destination;
	reason: DelegationReason;
	rule: CompiledRule | null;
	matched: string[];
	guardrail: Delegation['guardrail'];
}

/**
 * Decides a whole batch: pure and synchronous, so a ledger can run it inside its transaction.
 * First matching rule wins; guardrails then check the wanted destination against the snapshot's counts
 * plus this batch's own, and divert to the next eligible destination when it may not take the ticket.
 */
export function decide(tickets: Ticket[], policy: CompiledPolicy, snapshot: LedgerSnapshot, options: DecideOptions): BatchDecision {
	const now = options.now;
	const decidedAt = new Date(now).toISOString();
	const newId = options.newId ?? batchIds();
	const ledgerAvailable = options.ledgerAvailable ?? true;
	const ledgerState: Delegation['ledger'] = !ledgerAvailable ? 'unavailable' : options.dryRun ? 'dry-run' : 'recorded';
	const { guardrails } = policy.policy;
	const counts = new BatchCounts(snapshot, guardrails.shareWindowDays, guardrails.minVolumeForShareCap, ledgerAvailable);
	const at = zonedTime(now, policy.timezone);
	const loadGiven = typeof options.load === 'number' && Number.isFinite(options.load);
	// counts.internalLoad starts at the ledger's count and grows with this batch's internal decisions; a
	// given load replaces the ledger's part and keeps the batch's.
	const baseLoad = loadGiven ? options.load! - snapshot.internalInWindow : 0;
	const overflowActive: Record<string, boolean> = Object.create(null);
	// Usually empty or small; a Map keeps 10,000 lookups cheap and immune to ids like "constructor".
	const openDecisions = new Map(Object.entries(snapshot.open));
	for (const rule of policy.rules) if (rule.overflow) overflowActive[rule.id] = own(snapshot.overflowActive, rule.id) === true;

	const overflowOn = (rule: CompiledRule): boolean => {
		const threshold = overflowThreshold(rule, at, loadGiven);
		const load = baseLoad + counts.internalLoad;
		const state = nextOverflowState(overflowActive[rule.id], load, threshold, rule.overflow!.onAt, rule.overflow!.offAt);
		overflowActive[rule.id] = state;
		return state;
	};

	const delegations = new Array<Delegation>(tickets.length);
	const rows: NewDelegation[] = [];
	const firstOf = new Map<string, number>();
	const fresh: number[] = [];
	tickets.forEach((ticket, i) => {
		const first = firstOf.get(ticket.id);
		if (first !== undefined) return;
		firstOf.set(ticket.id, i);
		const open = openDecisions.get(ticket.id);
		if (open && !options.reroute) delegations[i] = fromRecord(open, ticket, policy);
		else fresh.push(i);
	});
	const sweeping = options.sweepCapacity !== undefined;
	const kept = sweeping ? keptIndexes(tickets, fresh, options.sweepCapacity!) : null;

	const decideOne = (ticket: Ticket, keep: boolean): Choice => {
		const hits = policy.keywords.size > 0 ? policy.keywords.match(ticket.subject, ticket.body) : EMPTY_HITS;
		for (const rule of policy.rules) {
			if (keep && rule.kind !== 'keepInternal') continue;
			const matched = matchRule(rule, ticket, hits, at);
			if (matched === null) continue;
			if (rule.kind === 'overflow') {
				// In a sweep the tickets past capacity are the overflow by definition.
				if (!sweeping && !overflowOn(rule)) continue;
				return chooseOverflow(rule, ticket, matched);
			}
			return chooseTargets(rule, ticket, matched);
		}
		if (keep) return { destination: policy.internalFallback, reason: 'sweepWithinCapacity', rule: null, matched: [], guardrail: null };
		return chooseDefault(ticket);
	};

	const chooseTargets = (rule: CompiledRule, ticket: Ticket, matched: string[]): Choice => {
		let refused: Refusal | null = null;
		for (const target of rule.targets) {
			const refusal = counts.refusal(target.destination, ticket.region);
			if (!refusal) {
				return { destination: target.destination, reason: rule.kind, rule, matched, guardrail: refused && divert(refused, rule) };
			}
			refused ??= refusal;
		}
		const fallback = fallbackFor(ticket, rule.targets[0].destination);
		return { destination: fallback, reason: rule.kind, rule, matched, guardrail: divert(refused!, rule) };
	};

	const chooseOverflow = (rule: CompiledRule, ticket: Ticket, matched: string[]): Choice => {
		const order = overflowOrder(ticket.id, rule.targets);
		const refusals: string[] = [];
		for (const target of order) {
			const refusal = counts.refusal(target.destination, ticket.region);
			if (!refusal) return { destination: target.destination, reason: 'overflow', rule, matched, guardrail: null };
			refusals.push(`${target.destination.id} (${refusal.name})`);
		}
		return {
			destination: policy.internalFallback,
			reason: 'overflow',
			rule,
			matched,
			guardrail: {
				name: 'overflowSaturated',
				wanted: order[0].destination.id,
				detail: `every overflow vendor is unavailable: ${refusals.join(', ')}`,
			},
		};
	};

	const chooseDefault = (ticket: Ticket): Choice => {
		const wanted = policy.defaultDestination;
		const refusal = counts.refusal(wanted, ticket.region);
		if (!refusal) return { destination: wanted, reason: 'default', rule: null, matched: [], guardrail: null };
		return {
			destination: policy.internalFallback,
			reason: 'default',
			rule: null,
			matched: [],
			guardrail: { name: refusal.name, wanted: wanted.id, detail: refusal.detail },
		};
	};

	/** After the rule's own targets: the default destination if it may take the ticket, else the team. */
	const fallbackFor = (ticket: Ticket, wanted: Destination): Destination => {
		const d = policy.defaultDestination;
		if (d !== wanted && counts.refusal(d, ticket.region) === null) return d;
		return policy.internalFallback;
	};

	for (const i of fresh) {
		const ticket = tickets[i];
		const choice = decideOne(ticket, kept?.has(i) ?? false);
		counts.add(choice.destination);
		const previous = openDecisions.get(ticket.id);
		const destination = choice.destination;
		const external = destination.kind === 'external';
		const delegation: Delegation = {
			decisionId: newId(),
			ticketId: ticket.id,
			destination: destination.id,
			destinationName: destination.name || destination.id,
			kind: destination.kind,
			vendor: external ? destination.id : null,
			contract: external ? (destination.contract ?? null) : null,
			reason: choice.reason,
			ruleId: choice.rule?.id ?? null,
			ruleName: choice.rule?.name ?? null,
			matched: choice.matched,
			guardrail: choice.guardrail,
			policyVersion: policy.version,
			policyScope: policy.scope,
			decidedAt,
			costEstimate: destination.costPerTicket,
			previousDecisionId: previous?.id ?? null,
			ledger: ledgerState,
			customerRegion: ticket.region,
			vendorTerms: external ? termsOf(destination) : null,
		};
		delegations[i] = delegation;
		rows.push(rowOf(delegation, ticket, now, options));
	}

	// Hysteresis state follows the load at the end of the batch even if no ticket reached the rule.
	if (!sweeping) for (const rule of policy.rules) if (rule.overflow) overflowOn(rule);

	// In-batch duplicates share the first occurrence's decision.
	tickets.forEach((ticket, i) => {
		if (delegations[i] === undefined) delegations[i] = { ...delegations[firstOf.get(ticket.id)!] };
	});
	return { delegations, rows, overflowActive };
}

const EMPTY_HITS = new Map<number, string[]>();

/** Ticket and rule ids come from outside: "constructor" or "__proto__" must not find Object.prototype's. */
function own<T>(record: Record<string, T>, key: string): T | undefined {
	return Object.hasOwn(record, key) ? record[key] : undefined;
}

/**
 * Decision ids for one batch: a random UUID v4 whose last 12 hex digits count up. Unique across batches
 * (the 74 random bits left are fresh per batch) at the cost of one UUID per batch instead of per ticket.
 */
function batchIds(): () => string {
	const prefix = randomUUID().slice(0, 24);
	let n = 0;
	return () => prefix + (n++).toString(16).padStart(12, '0');
}

function divert(refusal: Refusal, rule: CompiledRule): Delegation['guardrail'] {
	return { name: refusal.name, wanted: rule.targets[0].destination.id, detail: refusal.detail };
}

function keptIndexes(tickets: Ticket[], fresh: number[], capacity: number): Set<number> {
	const kept = keptWithinCapacity(
		fresh.map((i) => tickets[i]),
		capacity,
	);
	return new Set([...kept].map((k) => fresh[k]));
}

/** The ledger row of a decision: the delegation's metadata plus the ticket's, never its text. */
function rowOf(d: Delegation, ticket: Ticket, decidedAt: number, options: DecideOptions): NewDelegation {
	return {
		id: d.decisionId,
		scope: d.policyScope,
		ticketId: d.ticketId,
		decidedAt,
		destination: d.destination,
		kind: d.kind,
		vendor: d.vendor,
		contract: d.contract,
		reason: d.reason,
		ruleId: d.ruleId,
		guardrail: d.guardrail?.name ?? null,
		policyVersion: d.policyVersion,
		channel: ticket.channel,
		language: ticket.language,
		topic: ticket.category,
		priority: ticket.priority,
		costEstimate: d.costEstimate,
		workflowId: options.workflowId ?? null,
		executionId: options.executionId ?? null,
		previousId: d.previousDecisionId,
	};
}

function termsOf(destination: Destination): Delegation['vendorTerms'] {
	return { dpa: destination.dpa, dataRegions: destination.dataRegions, allowedFields: destination.allowedFields };
}

/** An open decision already stands for this ticket: report it as recorded, under the policy that made it. */
function fromRecord(record: DelegationRecord, ticket: Ticket, policy: CompiledPolicy): Delegation {
	const index = policy.destinationIndex.get(record.destination);
	const destination = index === undefined ? undefined : policy.destinations[index];
	const rule = policy.rules.find((r) => r.id === record.ruleId);
	const external = record.kind === 'external';
	return {
		decisionId: record.id,
		ticketId: record.ticketId,
		destination: record.destination,
		destinationName: destination?.name || record.destination,
		kind: record.kind,
		vendor: record.vendor,
		contract: record.contract,
		reason: record.reason as DelegationReason,
		ruleId: record.ruleId,
		ruleName: rule?.name ?? record.ruleId,
		matched: [],
		guardrail: null,
		policyVersion: record.policyVersion,
		policyScope: record.scope,
		decidedAt: new Date(record.decidedAt).toISOString(),
		costEstimate: record.costEstimate,
		previousDecisionId: record.previousId,
		ledger: 'existing',
		customerRegion: ticket.region,
		vendorTerms: external && destination ? termsOf(destination) : null,
	};
}
