import type { CallbackRefusal } from '../../domain/callback/refusal';
import type { CallbackAnswer, DelegationRecord } from '../../ledger/model';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

/**
 * 200 with the state the ledger now holds for the ticket: the vendor's view of its own delegation, nothing of the
 * routing (rule, policy version, cost) and nothing of other tickets.
 */
export function recordedAnswer(record: DelegationRecord): CallbackAnswer {
	return {
		status: 200,
		body: {
			recorded: true,
			ticketId: record.ticketId,
			decisionId: record.id,
			status: record.status,
			providerReference: record.providerReference,
			firstResponseAt: iso(record.firstResponseAt),
			resolvedAt: iso(record.resolvedAt),
			slaMet: record.slaMet,
			csat: record.csat,
			reopened: record.reopened,
		},
	};
}

/** A refusal as the vendor reads it: `{ error, field? }` under its 4xx/5xx status. */
export function refusalAnswer(refusal: CallbackRefusal): CallbackAnswer {
	return { status: refusal.status, body: refusal.field === undefined ? { error: refusal.error } : { error: refusal.error, field: refusal.field } };
}
