import type { Delegation } from './delegation';

type Why = Pick<Delegation, 'destination' | 'reason' | 'ruleId' | 'ruleName' | 'matched' | 'guardrail'>;

/**
 * The decision in one sentence, from the fields the delegation carries (and the ledger keeps), so a decision read
 * back from the ledger explains itself the same way it did when it was made. `ruleLabel` is the compiled rule's
 * `Rule 3 "Billing"` (made once per policy), null when the rule's place is unknown.
 */
export function explain(d: Why, ruleLabel: string | null): string {
	let why: string;
	if (d.reason === 'sweepWithinCapacity') why = `Kept by the team within the sweep's internal capacity → ${d.destination}.`;
	else if (d.reason === 'default' || d.ruleId === null) why = `No rule matched → default destination ${d.guardrail ? d.guardrail.wanted : d.destination}.`;
	else {
		const terms = d.matched.length ? ` on ${d.matched.join('; ')}` : '';
		why = `${ruleLabel ?? `Rule "${d.ruleName ?? d.ruleId}"`} (${d.reason}) matched${terms} → ${d.guardrail ? d.guardrail.wanted : d.destination}.`;
	}
	if (d.guardrail) why += ` Guardrail ${d.guardrail.name}: ${d.guardrail.detail}; went to ${d.destination}.`;
	return why;
}

/** The same, for a decision returned from the ledger: when and under which policy it was made. */
export function explainEarlier(d: Why & Pick<Delegation, 'decidedAt' | 'policyVersion'>, currentVersion: string): string {
	const version = d.policyVersion === currentVersion ? `policy version ${d.policyVersion} (current)` : `policy version ${d.policyVersion}, not the current ${currentVersion}`;
	return `Earlier decision of ${d.decidedAt} under ${version}: ${explain(d, null)} It stands while the ticket is open; set Options → Re-Route to decide again.`;
}
