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
 * The explanations of one batch, the same sentences as `explain`. Its head (rule and reason) and tail (destination
 * and guardrail) repeat across a batch: each is made once and shared (strings never change in place), and a
 * decision's sentence is head + terms + tail, two links to shared text instead of a dozen pieces of its own, which
 * a 100,000-ticket batch kept alive with every decision.
 */
export class BatchExplanations {
	/** Heads and tails made so far, by what their text depends on (rule ids are unique in a policy). */
	private readonly parts = new Map<string, string>();

	of(d: Why, ruleLabel: string | null): string {
		const withTerms = d.matched.length > 0;
		const g = d.guardrail;
		const headKey = `h\u0000${d.ruleId}\u0000${d.reason}\u0000${withTerms}`;
		const tailKey = `t\u0000${d.reason}\u0000${d.destination}${g ? `\u0000${g.wanted}\u0000${g.name}\u0000${g.detail}` : ''}`;
		let head = this.parts.get(headKey);
		let tail = this.parts.get(tailKey);
		if (head === undefined || tail === undefined) {
			const parts = sentence(d, ruleLabel);
			head = parts[0];
			tail = parts[2];
			this.parts.set(headKey, head);
			this.parts.set(tailKey, tail);
		}
		// The reason decides the form (a sweep or default sentence has no terms), as in `sentence`.
		if (d.reason === 'sweepWithinCapacity' || d.reason === 'default' || d.ruleId === null || !withTerms) return head + tail;
		return head + (d.matched.length === 1 ? d.matched[0] : d.matched.join('; ')) + tail;
	}
}
