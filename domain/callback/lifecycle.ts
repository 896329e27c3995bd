import type { DelegationStatus } from '../../ledger/model';

/**
 * The statuses a vendor may report. `routed`, `handed_off` and `handoff_failed` are ours (the router and Provider
 * Handoff write them): a vendor cannot claim a hand-off happened.
 */
export const VENDOR_STATUSES = ['accepted', 'rejected', 'resolved', 'returned'] as const satisfies readonly DelegationStatus[];
export type VendorStatus = (typeof VENDOR_STATUSES)[number];

/**
 * How far along the lifecycle each status is. A delegation only moves to a higher stage: routed → handed off →
 * accepted → one end (resolved, rejected, returned; a failed hand-off is an end too, the ticket went back inside).
 * The ends share a stage, so no end follows another and nothing follows an end.
 */
const STAGE: Record<DelegationStatus, number> = {
	routed: 0,
	handed_off: 1,
	accepted: 2,
	resolved: 3,
	rejected: 3,
	returned: 3,
	handoff_failed: 3,
};

/** Why `next` cannot follow `current`, or null when it moves the delegation forward. */
export function transitionProblem(current: DelegationStatus, next: DelegationStatus): string | null {
	if (STAGE[next] > STAGE[current]) return null;
	if (next === current) return `the delegation is already ${current}`;
	return `"${next}" cannot follow "${current}": a delegation only moves forward (routed → handed_off → accepted → resolved, rejected or returned)`;
}
