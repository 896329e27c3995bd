import type { DelegationRecord, OutcomeUpdate } from '../model';

/**
 * What a hand-off's result may change on the decision it was for, as the decision stands when the result is written.
 * Its status only moves a decision on from `routed`. A vendor often calls back (accepted, even resolved) before its
 * answer to our POST reaches us: the late answer must not move the decision back to handed_off, nor turn a ticket the
 * vendor took into a failed hand-off. It then only fills in what the decision lacks (when it was handed off, the
 * vendor's reference); null when there is nothing to fill.
 */
export function handoffOutcomeOn(current: DelegationRecord, outcome: OutcomeUpdate): OutcomeUpdate | null {
	if (current.status === 'routed') return outcome;
	if (outcome.status !== 'handed_off') return null;
	const filled: OutcomeUpdate = { status: current.status };
	if (current.handedOffAt === null && outcome.handedOffAt !== undefined) filled.handedOffAt = outcome.handedOffAt;
	if (current.providerReference === null && outcome.providerReference !== undefined) filled.providerReference = outcome.providerReference;
	return Object.keys(filled).length > 1 ? filled : null;
}
