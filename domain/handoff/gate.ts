import type { Delegation } from '../routing/delegation';

/** Why a ticket may not leave. Recorded on the ledger as the error class. */
export type Refusal = 'refused_no_terms' | 'refused_no_dpa' | 'refused_region' | 'refused_no_fields';

export interface GateVerdict {
	refusal: Refusal;
	message: string;
}

/**
 * The data-protection gate, applied before anything is built or sent. The terms are the ones the router recorded in
 * the ledger with the decision (never an item's copy), so a hand-off enforces exactly what the router decided on.
 */
export function checkTerms(delegation: Pick<Delegation, 'vendor' | 'customerRegion' | 'vendorTerms'>): GateVerdict | null {
	const vendor = delegation.vendor ?? '(none)';
	const terms = delegation.vendorTerms;
	if (!terms) {
		return {
			refusal: 'refused_no_terms',
			message: `The ledger holds no data-protection terms for vendor "${vendor}" under this decision's policy version (decided before terms were recorded, or by a policy without them): route the ticket again (Options → Re-Route)`,
		};
	}
	if (terms.dpa !== true) {
		return {
			refusal: 'refused_no_dpa',
			message: `Vendor "${vendor}" has no data processing agreement on file (vendorTerms.dpa is false)`,
		};
	}
	const region = delegation.customerRegion;
	const regions = terms.dataRegions ?? [];
	if (region && regions.length > 0 && !regions.some((r) => r.toLowerCase() === region.toLowerCase())) {
		return {
			refusal: 'refused_region',
			message: `Customer region "${region}" is outside vendor "${vendor}"'s allowed data regions (${regions.join(', ')})`,
		};
	}
	if (!terms.allowedFields?.length) {
		return {
			refusal: 'refused_no_fields',
			message: `Vendor "${vendor}" may receive no ticket fields (vendorTerms.allowedFields is empty)`,
		};
	}
	return null;
}
