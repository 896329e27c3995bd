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
	delegation: Pick<Delegation, 'ticketId' | 'decisionId' | 'vendor' | 'reason'>,
	allowedFields: readonly string[],
	notes: InternalNoteRules,
	redactor: Redactor,
): VendorBody {
	const { value: redactedTicket, counts } = redactor.redact(allowedPart(ticket, allowedFields, notes));
	const body = JSON.stringify({
		ticketId: delegation.ticketId,
		decisionId: delegation.decisionId,
		vendor: delegation.vendor ?? '',
		reason: delegation.reason,
		ticket: redactedTicket,
		redactions: counts,
	});
	return { body, redactions: counts };
}
