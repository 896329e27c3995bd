import { applyOutcome } from './records';
import { contributionDelta, type RolledRow } from './rollup';
import type { DelegationRecord, OutcomeUpdate } from '../model';

/** One outcome to apply to the latest decision of a ticket. */
export interface OutcomeEntry {
	ticketId: string;
	update: OutcomeUpdate;
}

/** The current decision of a ticket as a durable backend read it: its row key and rollup cell. */
export interface HeadRow<K> {
	key: K;
	dimensionId: number;
	record: DelegationRecord;
}

export interface OutcomePlan<K> {
	/** Per entry, in the order given: the decision after that entry's update; null for an unknown ticket. */
	results: Array<DelegationRecord | null>;
	/** Rows to write back, each once, with its final state. */
	writes: Array<{ key: K; record: DelegationRecord }>;
	/** What the batch moves in the rollups: one delta per changed row, from its state before to its final state. */
	deltas: RolledRow[];
}

/**
 * Applies a batch of outcomes in memory, exactly as that many single updates in a row would: a ticket named twice
 * gets both updates, the second on top of the first. The durable backends read the heads once, call this, and
 * write `writes` and `deltas` in one transaction.
 */
export function planOutcomes<K>(heads: ReadonlyMap<string, HeadRow<K>>, entries: readonly OutcomeEntry[]): OutcomePlan<K> {
	const current = new Map<string, DelegationRecord>();
	const results = entries.map(({ ticketId, update }) => {
		const head = heads.get(ticketId);
		if (!head) return null;
		const after = applyOutcome({ ...(current.get(ticketId) ?? head.record) }, update);
		current.set(ticketId, after);
		return { ...after };
	});
	const writes: OutcomePlan<K>['writes'] = [];
	const deltas: RolledRow[] = [];
	for (const [ticketId, record] of current) {
		const head = heads.get(ticketId)!;
		writes.push({ key: head.key, record });
		const contribution = contributionDelta(head.record, record);
		if (contribution) {
			deltas.push({ scope: record.scope, decidedAt: record.decidedAt, kind: record.kind, vendor: record.vendor, dimensionId: head.dimensionId, contribution });
		}
	}
	return { results, writes, deltas };
}
