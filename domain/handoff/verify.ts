import type { HandoffView, RecordedTerms } from '../../ledger/model';
import type { VendorTerms } from '../routing/delegation';

/** What an item says about its delegation: only these are compared with the ledger, nothing else is trusted. */
export interface ClaimedDelegation {
	decisionId: string;
	ticketId: string;
	vendor: string;
	policyScope: string;
	policyVersion?: unknown;
	vendorTerms?: unknown;
}

/** Why a delegation an item carries is not the one the ledger holds. Recorded nowhere: the ledger stays as it was. */
export type Disagreement = 'refused_unknown_decision' | 'refused_tampered' | 'refused_superseded' | 'refused_closed';

export interface Mismatch {
	refusal: Disagreement;
	/** The item's field that disagrees with the ledger, e.g. `delegation.vendor`. */
	field: string;
	message: string;
}

/**
 * Compares an item's delegation with the decision the ledger holds under its id. A hand-off is a ledger decision, not
 * an item's say-so: an id the ledger does not know, or a ticket, vendor, policy version or terms that differ from what
 * the router recorded, means the item was made up or edited on its way from the router (a Set or Code node, an agent).
 */
export function disagreement(claim: ClaimedDelegation, view: HandoffView): Mismatch | null {
	const { decision } = view;
	if (!decision) {
		return {
			refusal: 'refused_unknown_decision',
			field: 'delegation.decisionId',
			message: `The ledger holds no decision "${claim.decisionId}" in policy scope "${claim.policyScope}": only delegations the Ticket Router decided and recorded can be handed off`,
		};
	}
	const differs = (field: string, claimed: unknown, recorded: unknown): Mismatch => ({
		refusal: 'refused_tampered',
		field: `delegation.${field}`,
		message: `"delegation.${field}" is ${JSON.stringify(claimed)} but decision "${decision.id}" in the ledger says ${JSON.stringify(recorded)}: the delegation was changed after the Ticket Router made it`,
	});
	if (decision.ticketId !== claim.ticketId) return differs('ticketId', claim.ticketId, decision.ticketId);
	if (decision.kind !== 'external' || decision.vendor !== claim.vendor) return differs('vendor', claim.vendor, decision.vendor);
	if (claim.policyVersion !== undefined && claim.policyVersion !== decision.policyVersion) {
		return differs('policyVersion', claim.policyVersion, decision.policyVersion);
	}
	if (claim.vendorTerms !== undefined && claim.vendorTerms !== null && view.terms) {
		if (typeof claim.vendorTerms !== 'object' || Array.isArray(claim.vendorTerms)) return differs('vendorTerms', claim.vendorTerms, termsOnly(view.terms));
		const field = termsDiffer(claim.vendorTerms as Record<string, unknown>, view.terms);
		if (field) return differs(`vendorTerms.${field}`, (claim.vendorTerms as Record<string, unknown>)[field], view.terms[field]);
	}
	if (!view.current) {
		return {
			refusal: 'refused_superseded',
			field: 'delegation.decisionId',
			message: `Decision "${decision.id}" is no longer ticket "${decision.ticketId}"'s current decision: it was routed again since. Hand off the newer decision instead`,
		};
	}
	if (decision.status === 'returned' || decision.status === 'rejected') {
		return {
			refusal: 'refused_closed',
			field: 'delegation.decisionId',
			message: `Vendor "${decision.vendor}" ${decision.status} decision "${decision.id}": route the ticket again (Ticket Router, Options → Re-Route) to delegate it anew`,
		};
	}
	return null;
}

/** The first of the terms an item carries that differs from the recorded ones, or null when they agree. */
function termsDiffer(c: Record<string, unknown>, recorded: RecordedTerms): keyof VendorTerms | null {
	if (c.dpa !== recorded.dpa) return 'dpa';
	if (!sameList(c.dataRegions, recorded.dataRegions)) return 'dataRegions';
	if (!sameList(c.allowedFields, recorded.allowedFields)) return 'allowedFields';
	return null;
}

const termsOnly = ({ dpa, dataRegions, allowedFields }: RecordedTerms): VendorTerms => ({ dpa, dataRegions, allowedFields });

const sameList = (a: unknown, b: readonly string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
