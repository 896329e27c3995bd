import type { LedgerSnapshot } from '../../ledger/model';
import { matchRule, type CompiledPolicy, type CompiledRule } from '../policy/compile';
import type { KeywordHits } from '../policy/keywords';
import type { Destination } from '../policy/schema';
import type { ZonedTime } from '../policy/time';
import type { Ticket } from '../ticket/ticket';
import type { Delegation, DelegationReason } from './delegation';
import { BatchCounts, type Refusal } from './guardrails';
import { nextOverflowState, overflowOrder, overflowThreshold } from './overflow';

/** Where one ticket goes and why, before it becomes a Delegation. */
export interface Choice {
	destination: Destination;
	reason: DelegationReason;
	rule: CompiledRule | null;
	matched: string[];
	guardrail: Delegation['guardrail'];
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
 * Chooses destinations one ticket at a time for a batch: first matching rule wins, then the guardrails check the
 * wanted destination against the snapshot's counts plus the batch's own, and divert to the next eligible one.
 * Holds the state a batch accumulates: the counts and each overflow rule's hysteresis.
 */
export class Chooser {
	private readonly counts: BatchCounts;
	private readonly overflowActive: Record<string, boolean> = Object.create(null);
	/** A given load replaces the ledger's count of internal tickets; the batch's own still add to it. */
	private readonly baseLoad: number;

	constructor(
		private readonly policy: CompiledPolicy,
		snapshot: LedgerSnapshot,
		private readonly at: ZonedTime,
		private readonly options: ChooserOptions,
	) {
		const { guardrails } = policy.policy;
		this.counts = new BatchCounts(snapshot, guardrails.shareWindowDays, guardrails.minVolumeForShareCap, options.countsKnown);
		this.baseLoad = options.load !== null ? options.load - snapshot.internalInWindow : 0;
		for (const rule of policy.rules) {
			if (rule.overflow) this.overflowActive[rule.id] = Object.hasOwn(snapshot.overflowActive, rule.id) && snapshot.overflowActive[rule.id] === true;
		}
	}

	/** Chooses for one ticket and counts it, so the next ticket of the batch sees it. `keep`: a sweep keeps it in-house if a keep-internal rule or the team allows. */
	choose(ticket: Ticket, keep: boolean): Choice {
		const choice = this.ruleChoice(ticket, keep);
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
		for (const rule of policy.rules) {
			if (keep && rule.kind !== 'keepInternal') continue;
			const matched = matchRule(rule, ticket, hits, this.at);
			if (matched === null) continue;
			if (rule.kind === 'overflow') {
				if (!this.options.sweeping && !this.overflowOn(rule)) continue;
				return this.overflowChoice(rule, ticket, matched);
			}
			return this.targetChoice(rule, ticket, matched);
		}
		if (keep) return { destination: policy.internalFallback, reason: 'sweepWithinCapacity', rule: null, matched: [], guardrail: null };
		return this.defaultChoice(ticket);
	}

	/** The rule's targets in order; the first one the guardrails allow takes the ticket. */
	private targetChoice(rule: CompiledRule, ticket: Ticket, matched: string[]): Choice {
		let refused: Refusal | null = null;
		for (const target of rule.targets) {
			const refusal = this.counts.refusal(target.destination, ticket.region);
			if (!refusal) {
				return { destination: target.destination, reason: rule.kind, rule, matched, guardrail: refused && divert(refused, rule) };
			}
			refused ??= refusal;
		}
		return { destination: this.fallback(ticket, rule.targets[0].destination), reason: rule.kind, rule, matched, guardrail: divert(refused!, rule) };
	}

	/** Overflow vendors in this ticket's weighted order; when none may take it, the team keeps it. */
	private overflowChoice(rule: CompiledRule, ticket: Ticket, matched: string[]): Choice {
		const order = overflowOrder(ticket.id, rule.targets);
		const refusals: string[] = [];
		for (const target of order) {
			const refusal = this.counts.refusal(target.destination, ticket.region);
			if (!refusal) return { destination: target.destination, reason: 'overflow', rule, matched, guardrail: null };
			refusals.push(`${target.destination.id} (${refusal.name})`);
		}
		return {
			destination: this.policy.internalFallback,
			reason: 'overflow',
			rule,
			matched,
			guardrail: {
				name: 'overflowSaturated',
				wanted: order[0].destination.id,
				detail: `every overflow vendor is unavailable: ${refusals.join(', ')}`,
			},
		};
	}

	private defaultChoice(ticket: Ticket): Choice {
		const wanted = this.policy.defaultDestination;
		const refusal = this.counts.refusal(wanted, ticket.region);
		if (!refusal) return { destination: wanted, reason: 'default', rule: null, matched: [], guardrail: null };
		return {
			destination: this.policy.internalFallback,
			reason: 'default',
			rule: null,
			matched: [],
			guardrail: { name: refusal.name, wanted: wanted.id, detail: refusal.detail },
		};
	}

	/** After the rule's own targets: the default destination if it may take the ticket, else the team. */
	private fallback(ticket: Ticket, wanted: Destination): Destination {
		const d = this.policy.defaultDestination;
		if (d !== wanted && this.counts.refusal(d, ticket.region) === null) return d;
		return this.policy.internalFallback;
	}

	/** Is the rule's overflow on for the load now (this batch's internal tickets included)? Moves its hysteresis. */
	private overflowOn(rule: CompiledRule): boolean {
		const threshold = overflowThreshold(rule, this.at, this.options.load !== null);
		const load = this.baseLoad + this.counts.internalLoad;
		const state = nextOverflowState(this.overflowActive[rule.id], load, threshold, rule.overflow!.onAt, rule.overflow!.offAt);
		this.overflowActive[rule.id] = state;
		return state;
	}
}

function divert(refusal: Refusal, rule: CompiledRule): Delegation['guardrail'] {
	return { name: refusal.name, wanted: rule.targets[0].destination.id, detail: refusal.detail };
}
