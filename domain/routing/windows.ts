/**
 * The one definition of a guardrail's trailing window: at `now`, a decision counts when it is younger than the window
 * (now - decidedAt < length), i.e. from now - length + 1 in integer ms. The ledger's snapshots and the policy
 * simulation's replay both count from here.
 */
export function windowStart(now: number, length: number): number {
	return now - length + 1;
}
