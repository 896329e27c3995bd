import type { Ledger } from './ledger';
import type { DelegationRecord, OutcomeUpdate } from './model';

/** One outcome for the latest decision of a ticket in a policy scope. */
export interface ScopedOutcome {
	scope: string;
	ticketId: string;
	update: OutcomeUpdate;
}

/** record: the decision after the update (null when the scope has no decision for the ticket); error: its scope's write failed. */
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
