import { MAX_LABEL, MAX_TICKET_ID, textProblem } from '../domain/ticket/limits';
import type { Ledger } from './ledger';
import type { DelegationRecord, OutcomeUpdate } from './model';

/** Longest provider reference the ledger keeps (a vendor's ticket id or URL). */
export const MAX_PROVIDER_REFERENCE = 255;

/** One outcome the ledger cannot hold (an over-long or non-text value): that entry fails alone, the others are written. */
export class OutcomeRejectedError extends Error {
	constructor(
		message: string,
		readonly field: 'ticketId' | 'providerReference' | 'errorClass',
	) {
		super(message);
		this.name = 'OutcomeRejectedError';
	}
}

const TEXT_FIELDS = [
	['ticketId', 'ticket id', MAX_TICKET_ID],
	['providerReference', 'provider reference', MAX_PROVIDER_REFERENCE],
	['errorClass', 'error class', MAX_LABEL],
] as const;

/** Why the ledger cannot take this outcome, or null. */
function rejection(entry: ScopedOutcome): OutcomeRejectedError | null {
	for (const [field, name, max] of TEXT_FIELDS) {
		const value = field === 'ticketId' ? entry.ticketId : entry.update[field];
		const problem = typeof value === 'string' ? textProblem(value, max) : null;
		if (problem) return new OutcomeRejectedError(`The outcome's ${name} ${problem}`, field);
	}
	return null;
}

/** One outcome for the latest decision of a ticket in a policy scope. */
export interface ScopedOutcome {
	scope: string;
	ticketId: string;
	update: OutcomeUpdate;
}

/**
 * record: the decision after the update (null when the scope has no decision for the ticket); error: its scope's
 * write failed, or an OutcomeRejectedError for this entry alone.
 */
export type OutcomeWritten = { record: DelegationRecord | null; error?: undefined } | { record?: undefined; error: Error };

/**
 * Writes outcomes in one ledger transaction per policy scope: with the embedded ledger (synchronous=FULL) a
 * transaction per outcome would cost an fsync each, seconds per thousand. Per entry, in the order given: what was
 * written, or the error its scope's transaction rolled back with (other scopes' outcomes stand); null entries
 * (nothing to write for that item) stay null.
 */
export async function recordOutcomesByScope(
	ledger: Ledger,
	entries: ReadonlyArray<ScopedOutcome | null>,
): Promise<Array<OutcomeWritten | null>> {
	const out = new Array<OutcomeWritten | null>(entries.length).fill(null);
	const byScope = new Map<string, number[]>();
	entries.forEach((e, i) => {
		if (!e) return;
		// Checked before the transaction: one bad value would otherwise fail every outcome of its scope.
		const rejected = rejection(e);
		if (rejected) {
			out[i] = { error: rejected };
			return;
		}
		const indexes = byScope.get(e.scope);
		if (indexes) indexes.push(i);
		else byScope.set(e.scope, [i]);
	});
	for (const [scope, indexes] of byScope) {
		try {
			const records = await ledger.recordOutcomes(
				scope,
				indexes.map((i) => ({ ticketId: entries[i]!.ticketId, update: entries[i]!.update })),
			);
			indexes.forEach((i, k) => (out[i] = { record: records[k] }));
		} catch (error) {
			const failure = error instanceof Error ? error : new Error(String(error));
			for (const i of indexes) out[i] = { error: failure };
		}
	}
	return out;
}
