import type { DelegationRecord, OutcomeUpdate } from '../../ledger/model';
import { transitionProblem, type VendorStatus } from './lifecycle';
import { refusal, type CallbackRefusal } from './refusal';

/** What a verified, well-formed callback reports. Absent fields were not sent and stay as the ledger has them. */
export interface CallbackReport {
	ticketId: string;
	status: VendorStatus;
	providerReference?: string;
	/** When the status changed (epoch ms). */
	at?: number;
	firstResponseAt?: number;
	resolvedAt?: number;
	slaMet?: boolean;
	csat?: number;
	reopened?: boolean;
}

export type CallbackJudgement = { update: OutcomeUpdate } | { refusal: CallbackRefusal };

/**
 * Whether `vendor` may report `report` on the ticket's current decision: the decision must exist, be delegated to that
 * vendor, and the status must move it forward. Read inside the ledger transaction that then writes the update.
 */
export function judgeCallback(current: DelegationRecord | null, vendor: string, report: CallbackReport): CallbackJudgement {
	if (!current) {
		return { refusal: refusal(404, `no delegation is recorded for ticket "${report.ticketId}" in this policy scope`, 'ticketId') };
	}
	// The same answer whether the ticket is internal or another vendor's: a vendor learns nothing about other tickets.
	if (current.kind !== 'external' || current.vendor !== vendor) {
		return { refusal: refusal(403, `ticket "${report.ticketId}" is not delegated to vendor "${vendor}"`, 'ticketId') };
	}
	const problem = transitionProblem(current.status, report.status);
	if (problem) return { refusal: refusal(409, `ticket "${report.ticketId}": ${problem}`, 'status') };
	// Only what the vendor sent: a value it left out stays as the ledger has it (no CSAT 0, no "SLA met" by default).
	const update: OutcomeUpdate = { status: report.status };
	if (report.at !== undefined) update.at = report.at;
	if (report.providerReference !== undefined) update.providerReference = report.providerReference;
	if (report.firstResponseAt !== undefined) update.firstResponseAt = report.firstResponseAt;
	if (report.resolvedAt !== undefined) update.resolvedAt = report.resolvedAt;
	if (report.slaMet !== undefined) update.slaMet = report.slaMet;
	if (report.csat !== undefined) update.csat = report.csat;
	if (report.reopened !== undefined) update.reopened = report.reopened;
	return { update };
}
