import type { LedgerSnapshot } from '../../ledger/model';
import { matchRule, type CompiledPolicy, type CompiledRule, type Target } from '../policy/compile';
import type { KeywordHits } from '../policy/keywords';
import type { Moment } from '../policy/moment';
import type { Destination } from '../policy/schema';
import type { Ticket } from '../ticket/ticket';
import type { Delegation, DelegationReason, OverflowReading } from './delegation';
import { BatchCounts, type Refusal } from './guardrails';
import { nextOverflowState, overflowOrder, overflowThreshold, type OverflowThreshold } from './overflow';
import { qualityStates } from './quality';

/** Where one ticket goes and why, before it becomes a Delegation. */
export interface Choice {
	destination: Destination;
	reason: DelegationReason;
	rule: CompiledRule | null;
	matched: string[];
	guardrail: Delegation['guardrail'];
	/** Overflow rules: the load and threshold that switched overflow on. */
	overflow: OverflowReading | null;
}

export interface ChooserOptions {
	/** Current load given for this execution (e.g. a backlog count); null: counted from the ledger. */
	load: number | null;
	/** False when the ledger is unavailable: count-based guardrails are skipped. */
	countsKnown: boolean;
	/** Sweep backlog: the tickets past capacity are the overflow by definition, whatever the load. */
	sweeping: boolean;
}

const EMPTY_HITS: KeywordHits = new Map();

/**
 * Chooses destinations one ticket at a time for a batch: first matching rule wins, then the rule's strategy orders
 * its targets (in order, by weight, or by spare capacity), then the guardrails check each against the snapshot's
 * counts plus the batch's own and divert to the next eligible one. Holds the state a batch accumulates: the counts
 * and each overflow rule's hysteresis. The one place a destination is chosen.
 */
export class Chooser {
	private readonly counts: BatchCounts;
	private readonly overflowActive: Record<string, boolean> = Object.create(null);
	private readonly overflowReadings = new Map<string, { reading: OverflowReading; term: string }>();
	/** Each overflow rule's threshold: the batch has one moment, so it is worked out once per batch. */
	private readonly thresholds = new Map<string, OverflowThreshold>();
	private readonly details = new Map<string, string>();
	/** A given load replaces the ledger's count of internal tickets; the batch's own still add to it. */
	private readonly baseLoad: number;
	/** Quality guardrail state per guarded vendor after this batch's judgement (true: below). */
	readonly qualityBelow: Record<string, boolean>;

	constructor(
		private readonly policy: CompiledPolicy,
		snapshot: LedgerSnapshot,
		private readonly moment: Moment,
		private readonly options: ChooserOptions,
	) {
		const { guardrails } = policy.policy;
		const quality = qualityStates(policy, snapshot);
		this.qualityBelow = quality.state;
		this.counts = new BatchCounts(snapshot, guardrails.shareWindowDays, guardrails.minVolumeForShareCap, options.countsKnown, quality.below);
		this.baseLoad = options.load !== null ? options.load - snapshot.internalInWindow : 0;
		for (const rule of policy.rules) {
			if (rule.overflow) this.overflowActive[rule.id] = Object.hasOwn(snapshot.overflowActive, rule.id) && snapshot.overflowActive[rule.id] === true;
		}
	}

	/**
	 * Chooses for one ticket and counts it, so the next ticket of the batch sees it. `keep`: a sweep keeps it in-house
	 * if a keep-internal rule or the team allows. `note`: why a sweep did not keep it, put first in its matched terms.
	 */
	choose(ticket: Ticket, keep: boolean, note?: string): Choice {
		const choice = this.ruleChoice(ticket, keep);
		if (note !== undefined) choice.matched.unshift(note);
		this.counts.add(choice.destination);
		return choice;
	}

	/** Hysteresis state at the end of the batch, updated with the final load even for rules no ticket reached. */
	settleOverflow(): Record<string, boolean> {
		if (!this.options.sweeping) for (const rule of this.policy.rules) if (rule.overflow) this.overflowOn(rule);
		return this.overflowActive;
	}

	private ruleChoice(ticket: Ticket, keep: boolean): Choice {
		const { policy } = this;
		const hits = policy.keywords.size > 0 ? policy.keywords.match(ticket.subject, ticket.body) : EMPTY_HITS;
		const due = policy.usesDueTime ? policy.sla.dueAt(ticket) : null;
		for (const rule of policy.rules) {
			if (keep && rule.kind !== 'keepInternal') continue;
			const matched = matchRule(rule, ticket, hits, this.moment, due);
			if (matched === null) continue;
			if (rule.kind === 'overflow') {
				if (!this.options.sweeping && !this.overflowOn(rule)) continue;
				return this.overflowChoice(rule, ticket, matched);
			}
			return this.targetChoice(rule, ticket, matched);
		}
		if (keep) return { destination: policy.internalFallback, reason: 'sweepWithinCapacity', rule: null, matched: [], guardrail: null, overflow: null };
		return this.defaultChoice(ticket);
	}

	/** The rule's targets in the order its strategy gives for this ticket now. */
	private order(rule: CompiledRule, ticket: Ticket): Target[] {
		if (rule.targets.length < 2 || rule.strategy === 'inOrder') return rule.targets;
		if (rule.strategy === 'weighted') return overflowOrder(ticket.id, rule.targets);
		// Spare capacity: most room first; equal room (e.g. no caps): fewer tickets in the last hour, then rule order.
		return rule.targets
			.map((t, i) => ({ t, i, room: this.counts.room(t.destination), recent: this.counts.lastHour(t.destination) }))
			.sort((a, b) => (b.room === a.room ? a.recent - b.recent || a.i - b.i : b.room > a.room ? 1 : -1))
			.map((s) => s.t);
	}

	/** The rule's targets in strategy order; the first one the guardrails allow takes the ticket. */
	private targetChoice(rule: CompiledRule, ticket: Ticket, matched: string[]): Choice {
		const order = this.order(rule, ticket);
		let refused: Refusal | null = null;
		for (const target of order) {
			const refusal = this.counts.refusal(target.destination, ticket.region);
			if (!refusal) {
				return { destination: target.destination, reason: rule.kind, rule, matched, guardrail: refused && this.divert(refused, order[0]), overflow: null };
			}
			refused ??= refusal;
		}
		return { destination: this.fallback(ticket, order[0].destination), reason: rule.kind, rule, matched, guardrail: this.divert(refused!, order[0]), overflow: null };
	}

	/** Overflow vendors in this ticket's order; when none may take it, the team keeps it. */
	private overflowChoice(rule: CompiledRule, ticket: Ticket, matched: string[]): Choice {
		const order = this.order(rule, ticket);
		const last = this.options.sweeping ? undefined : this.overflowReadings.get(rule.id);
		// A copy per delegation: items downstream may change their own without touching another's.
		const reading = last ? { ...last.reading } : null;
		// A new list of its exact size: the one a decision keeps (pushing onto an empty list reserves 17 slots).
		const terms = !last ? matched : matched.length === 0 ? [last.term] : matched.concat(last.term);
		const refusals: string[] = [];
		for (const target of order) {
			const refusal = this.counts.refusal(target.destination, ticket.region);
			if (!refusal) return { destination: target.destination, reason: 'overflow', rule, matched: terms, guardrail: null, overflow: reading };
			refusals.push(`${target.destination.id} (${refusal.name})`);
		}
		return {
			destination: this.policy.internalFallback,
			reason: 'overflow',
			rule,
			matched: terms,
			guardrail: {
				name: 'overflowSaturated',
				wanted: order[0].destination.id,
				detail: this.said(`every overflow vendor is unavailable: ${refusals.join(', ')}`),
			},
			overflow: reading,
		};
	}

	private defaultChoice(ticket: Ticket): Choice {
		const wanted = this.policy.defaultDestination;
		const refusal = this.counts.refusal(wanted, ticket.region);
		if (!refusal) return { destination: wanted, reason: 'default', rule: null, matched: [], guardrail: null, overflow: null };
		return {
			destination: this.policy.internalFallback,
			reason: 'default',
			rule: null,
			matched: [],
			guardrail: { name: refusal.name, wanted: wanted.id, detail: this.said(refusal.detail) },
			overflow: null,
		};
	}

	/** After the rule's own targets: the default destination if it may take the ticket, else the team. */
	private fallback(ticket: Ticket, wanted: Destination): Destination {
		const d = this.policy.defaultDestination;
		if (d !== wanted && this.counts.refusal(d, ticket.region) === null) return d;
		return this.policy.internalFallback;
	}

	private divert(refusal: Refusal, wanted: Target): Delegation['guardrail'] {
		return { name: refusal.name, wanted: wanted.destination.id, detail: this.said(refusal.detail) };
	}

	/**
	 * One copy of each guardrail detail per batch: a cap, once reached, refuses every later ticket with the same words
	 * ("acme took 40 tickets in the last hour (cap 40)"), and each decision would otherwise keep its own copy.
	 */
	private said(detail: string): string {
		const known = this.details.get(detail);
		if (known !== undefined) return known;
		this.details.set(detail, detail);
		return detail;
	}

	/** Is the rule's overflow on for the load now (this batch's internal tickets included)? Moves its hysteresis. */
	private overflowOn(rule: CompiledRule): boolean {
		let threshold = this.thresholds.get(rule.id);
		if (!threshold) {
			threshold = overflowThreshold(rule, this.moment, this.options.load !== null);
			this.thresholds.set(rule.id, threshold);
		}
		const load = this.baseLoad + this.counts.internalLoad;
		const { onAt, offAt } = rule.overflow!;
		const wasActive = this.overflowActive[rule.id];
		const state = nextOverflowState(wasActive, load, threshold.value, onAt, offAt);
		this.overflowActive[rule.id] = state;
		const last = this.overflowReadings.get(rule.id);
		// The reading (and its term) changes only when the load or the state does: not once per ticket.
		if (last && last.reading.load === load && last.reading.wasActive === wasActive) return state;
		const reading: OverflowReading = {
			load,
			loadSource: this.options.load !== null ? 'given' : 'internalLastHour',
			threshold: threshold.value,
			basis: threshold.basis,
			factor: wasActive ? offAt : onAt,
			peak: threshold.peak,
			wasActive,
		};
		this.overflowReadings.set(rule.id, { reading, term: overflowTerm(reading) });
		return state;
	}
}


/**
 * `overflow:load 130 >= 96 (0.8 x capacityPerHour 120, peak "Black Friday")`: why overflow was on. One flat string
 * (parts joined once, not a tree of concatenations): the load changes from ticket to ticket, and each decision keeps
 * its own.
 */
function overflowTerm(r: OverflowReading): string {
	const at = Math.round(r.factor * r.threshold * 100) / 100;
	const peak = r.peak !== null ? `, peak "${r.peak}"` : '';
	return ['overflow:load ', r.load, ' >= ', at, ' (', r.factor, ' x ', r.basis, ' ', r.threshold, peak, r.wasActive ? ', staying on' : '', ')'].join('');
}
