import { KeyedTree, type KeyPart } from '../shared/keyed-tree';
import type { Delegation } from './delegation';

type Why = Pick<Delegation, 'destination' | 'reason' | 'ruleId' | 'ruleName' | 'matched' | 'guardrail'>;

/**
 * The decision in one sentence, from the fields the delegation carries (and the ledger keeps), so a decision read
 * back from the ledger explains itself the same way it did when it was made. `ruleLabel` is the compiled rule's
 * `Rule 3 "Billing"` (made once per policy), null when the rule's place is unknown.
 */
export function explain(d: Why, ruleLabel: string | null): string {
	return head(d, ruleLabel) + terms(d) + tail(d);
}

/**
 * The sentence in three parts: what decided (the rule and reason), the matched terms, and where the ticket went
 * (the destination wanted, and a guardrail's diversion). Only the terms tell one ticket of a rule from another.
 */
function head(d: Why, ruleLabel: string | null): string {
	if (d.reason === 'sweepWithinCapacity') return "Kept by the team within the sweep's internal capacity";
	if (d.reason === 'default' || d.ruleId === null) return 'No rule matched';
	return `${ruleLabel ?? `Rule "${d.ruleName ?? d.ruleId}"`} (${d.reason}) matched${d.matched.length ? ' on ' : ''}`;
}

function terms(d: Why): string {
	if (d.reason === 'sweepWithinCapacity' || d.reason === 'default' || d.ruleId === null) return '';
	return d.matched.length === 1 ? d.matched[0] : d.matched.join('; ');
}

function tail(d: Why): string {
	const diverted = d.guardrail ? ` Guardrail ${d.guardrail.name}: ${d.guardrail.detail}; went to ${d.destination}.` : '';
	const wanted = d.guardrail ? d.guardrail.wanted : d.destination;
	if (d.reason === 'sweepWithinCapacity') return ` → ${d.destination}.${diverted}`;
	if (d.reason === 'default' || d.ruleId === null) return ` → default destination ${wanted}.${diverted}`;
	return ` → ${wanted}.${diverted}`;
}

/** The same, for a decision returned from the ledger: when and under which policy it was made. */
export function explainEarlier(d: Why & Pick<Delegation, 'decidedAt' | 'policyVersion'>, currentVersion: string): string {
	const version = d.policyVersion === currentVersion ? `policy version ${d.policyVersion} (current)` : `policy version ${d.policyVersion}, not the current ${currentVersion}`;
	return `Earlier decision of ${d.decidedAt} under ${version}: ${explain(d, null)} It stands while the ticket is open; set Options → Re-Route to decide again.`;
}

/**
 * The explanations of one batch, the same sentences as `explain`. A batch says the same few sentences again and again
 * (one rule, its terms, one destination, a guardrail's fixed words): each sentence is made once and shared (strings
 * never change in place), where a sentence of its own per decision — head + terms + tail, two concatenations — was
 * 64 bytes more per decision that a 100,000-ticket batch kept alive until its items were emitted. Past
 * SHARED_SENTENCES distinct sentences (terms that differ per ticket, such as a saturated overflow's load) the rest are
 * made per decision, unshared, from shared heads and tails: only the terms and two concatenations are the decision's
 * own (a head and a guardrail's tail of their own were ~370 bytes a decision).
 */
export class BatchExplanations {
	/**
	 * Sentences made so far, found by what their text depends on: rule id, reason, destination, the terms as the
	 * sentence joins them (null: none), and for a diverted decision the guardrail's wanted destination, name and detail.
	 */
	private readonly plain = new KeyedTree<string>(4);
	private readonly diverted = new KeyedTree<string>(7);
	/** Heads by rule id, reason and whether there are terms; tails by reason, destination and guardrail. */
	private readonly heads = new KeyedTree<string>(3);
	private readonly tails = new KeyedTree<string>(6);
	/** This instance's key buffers, filled per decision (no array a decision). */
	private readonly path: KeyPart[] = [null, null, null, null, null, null, null];
	private readonly headKey: KeyPart[] = [null, null, null];
	private readonly tailKey: KeyPart[] = [null, null, null, null, null, null];
	private shared = 0;
	private parts = 0;

	of(d: Why, ruleLabel: string | null): string {
		const g = d.guardrail;
		const m = d.matched;
		const path = this.path;
		path[0] = d.ruleId;
		path[1] = d.reason;
		path[2] = d.destination;
		path[3] = m.length === 0 ? null : m.length === 1 ? m[0] : m.join('; ');
		if (g) {
			path[4] = g.wanted;
			path[5] = g.name;
			path[6] = g.detail;
		}
		const sentences = g ? this.diverted : this.plain;
		const known = sentences.get(path);
		if (known !== undefined) return known;
		if (this.shared >= SHARED_SENTENCES) return this.head(d, ruleLabel) + terms(d) + this.tail(d);
		const sentence = explain(d, ruleLabel);
		sentences.set(path, sentence);
		this.shared++;
		return sentence;
	}

	private head(d: Why, ruleLabel: string | null): string {
		const key = this.headKey;
		key[0] = d.ruleId;
		key[1] = d.reason;
		key[2] = d.matched.length ? 'terms' : null;
		const known = this.heads.get(key);
		if (known !== undefined) return known;
		const made = head(d, ruleLabel);
		if (this.parts++ < SHARED_SENTENCES) this.heads.set(key, made);
		return made;
	}

	private tail(d: Why): string {
		const g = d.guardrail;
		const key = this.tailKey;
		key[0] = d.ruleId === null ? null : 'rule';
		key[1] = d.reason;
		key[2] = d.destination;
		key[3] = g?.wanted ?? null;
		key[4] = g?.name ?? null;
		key[5] = g?.detail ?? null;
		const known = this.tails.get(key);
		if (known !== undefined) return known;
		const made = tail(d);
		if (this.parts++ < SHARED_SENTENCES) this.tails.set(key, made);
		return made;
	}
}

/** How many distinct sentences a batch shares at most: a batch usually says a few dozen. */
export const SHARED_SENTENCES = 4096;
