import type { Redactor, RedactionCounts } from '../redaction/redact';
import type { Delegation } from '../routing/delegation';
import { allowedPart, type InternalNoteRules } from './payload';

/** What a vendor receives for one ticket: the request body, and the redaction counts (never the values). */
export interface VendorBody {
	body: string;
	redactions: RedactionCounts;
}

/**
 * The hand-off request body: the decision's identifiers and the part of the ticket the vendor's terms allow, with
 * internal notes removed and PII redacted. Everything a vendor can read about a ticket goes through here.
 */
export function vendorBody(
	ticket: Record<string, unknown>,
	delegation: Pick<Delegation, 'ticketId' | 'decisionId' | 'vendor' | 'reason'> & { customerRegion?: string | null },
	allowedFields: readonly string[],
	notes: InternalNoteRules,
	redactor: Redactor,
): VendorBody {
	// One rule for ticket ids: the top-level reference and ticket.id are ticket data like any other, redacted with the
	// same token table, so an id that is (or holds) personal data reaches the vendor as the same token in both places.
	const { value, counts, reference } = redactor.redact(allowedPart(ticket, allowedFields, notes), {
		region: delegation.customerRegion,
		reference: delegation.ticketId,
	});
	const body = JSON.stringify({
		ticketId: reference,
		decisionId: delegation.decisionId,
		vendor: delegation.vendor ?? '',
		reason: delegation.reason,
		ticket: value,
		redactions: counts,
	});
	return { body, redactions: counts };
}
