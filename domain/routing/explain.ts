import type { Delegation } from './delegation';

type Why = Pick<Delegation, 'destination' | 'reason' | 'ruleId' | 'ruleName' | 'matched' | 'guardrail'>;

/**
 * The decision in one sentence, from the fields the delegation carries (and the ledger keeps), so a decision read
 * back from the ledger explains itself the same way it did when it was made. `ruleLabel` is the compiled rule's
 * `Rule 3 "Billing"` (made once per policy), null when the rule's place is unknown.
 */
export function explain(d: Why, ruleLabel: string | null): string {
	const [head, terms, tail] = sentence(d, ruleLabel);
	return head + terms + tail;
}

/**
 * The sentence in three parts: what decided (the rule and reason), the matched terms, and where the ticket went
 * (the destination wanted, and a guardrail's diversion).
 */
function sentence(d: Why, ruleLabel: string | null): [head: string, terms: string, tail: string] {
	const diverted = d.guardrail ? ` Guardrail ${d.guardrail.name}: ${d.guardrail.detail}; went to ${d.destination}.` : '';
	const wanted = d.guardrail ? d.guardrail.wanted : d.destination;
	if (d.reason === 'sweepWithinCapacity') return ["Kept by the team within the sweep's internal capacity", '', ` → ${d.destination}.${diverted}`];
	if (d.reason === 'default' || d.ruleId === null) return ['No rule matched', '', ` → default destination ${wanted}.${diverted}`];
	const head = `${ruleLabel ?? `Rule "${d.ruleName ?? d.ruleId}"`} (${d.reason}) matched${d.matched.length ? ' on ' : ''}`;
	return [head, d.matched.join('; '), ` → ${wanted}.${diverted}`];
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
 * SHARED_SENTENCES distinct sentences (terms that differ per ticket) the rest are made per decision, unshared.
 */
export class BatchExplanations {
	/**
	 * Sentences made so far, found by what their text depends on, one map level per part: rule id, reason, destination,
	 * the terms as the sentence joins them (null: none), then the guardrail's wanted destination, name and detail, or
	 * one null level when there is none. A key string per decision (its parts joined) was ~400 bytes of garbage a
	 * decision, ~4 MB a 10,000-ticket batch: scavenges that copy the batch's live decisions each time.
	 */
	private readonly root: SentenceLevel = new Map();
	/** This instance's path buffer, filled per decision (no array a decision). */
	private readonly path: Array<string | null> = [null, null, null, null, null, null, null];
	private shared = 0;

	of(d: Why, ruleLabel: string | null): string {
		const g = d.guardrail;
		const m = d.matched;
		const path = this.path;
		path[0] = d.ruleId;
		path[1] = d.reason;
		path[2] = d.destination;
		path[3] = m.length === 0 ? null : m.length === 1 ? m[0] : m.join('; ');
		path[4] = g ? g.wanted : null;
		const depth = g ? 7 : 5;
		if (g) {
			path[5] = g.name;
			path[6] = g.detail;
		}
		let level = this.root;
		let i = 0;
		for (; i < depth - 1; i++) {
			const next = level.get(path[i]);
			if (next === undefined) break;
			level = next as SentenceLevel;
		}
		const known = i === depth - 1 ? level.get(path[i]) : undefined;
		if (known !== undefined) return known as string;
		const sentence = explain(d, ruleLabel);
		if (this.shared >= SHARED_SENTENCES) return sentence;
		for (; i < depth - 1; i++) {
			const next: SentenceLevel = new Map();
			level.set(path[i], next);
			level = next;
		}
		level.set(path[depth - 1], sentence);
		this.shared++;
		return sentence;
	}
}

/** A level of BatchExplanations' tree: the next part's levels, or at the last part the sentence. */
type SentenceLevel = Map<string | null, SentenceLevel | string>;

/** A text as one part of a key: prefixed by its length, so no two lists of parts join into the same key. */
export const part = (text: string) => `${text.length}:${text}`;

/** How many distinct sentences a batch shares at most: a batch usually says a few dozen. */
export const SHARED_SENTENCES = 4096;
