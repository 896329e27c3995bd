import type { CallbackTarget, OutcomeUpdate } from '../../ledger/model';
import { transitionProblem, type VendorStatus } from './lifecycle';
import { refusal, type CallbackRefusal } from './refusal';
import { reportedTimeProblem, type CallbackClock } from './times';

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

/** What only a resolution carries: a vendor rating the tickets it gives back or rejects would lift its own quality figures. */
const RESOLUTION_FIELDS = ['resolvedAt', 'slaMet', 'csat', 'reopened'] as const;

/**
 * Whether `vendor` may report `report` on the ticket's current decision: the decision must exist, be delegated to that
 * vendor and have been handed to it, the status must move it forward, outcome fields come with a resolution, and the
 * times it reports must be possible. Read inside the ledger transaction that then writes the update.
 */
export function judgeCallback(target: CallbackTarget | null, vendor: string, report: CallbackReport, clock: CallbackClock): CallbackJudgement {
	const current = target?.decision;
	// One answer whether the ticket is unknown, internal or another vendor's: a vendor learns nothing about tickets that
	// are not its own, not even that they exist.
	if (!current || current.kind !== 'external' || current.vendor !== vendor) {
		return { refusal: refusal(404, `no delegation of ticket "${report.ticketId}" to vendor "${vendor}" is recorded in this policy scope`, 'ticketId') };
	}
	const problem = transitionProblem(current.status, report.status);
	if (problem) return { refusal: refusal(409, `ticket "${report.ticketId}": ${problem}`, 'status') };
	// A vendor may call back before its answer to our hand-off reaches us (the intent is recorded before the request
	// goes), but not on a decision nobody began to send it: say, a ticket it returned, delegated to it anew and not yet
	// sent, which it would otherwise close (and Provider Handoff then skip as settled).
	if (current.status === 'routed' && !target.handOffBegun) {
		return { refusal: refusal(409, `ticket "${report.ticketId}": its current delegation to you has not been handed to you yet; report on tickets once they are sent to you`, 'ticketId') };
	}
	if (report.status !== 'resolved') {
		const field = RESOLUTION_FIELDS.find((f) => report[f] !== undefined);
		if (field) return { refusal: refusal(422, `${field} is reported with status "resolved" only, not with "${report.status}"`, field) };
	}
	const timeProblem = reportedTimeProblem(report, current, clock);
	if (timeProblem) return { refusal: timeProblem };
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
