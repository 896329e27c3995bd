import type { AggregateRow, NewDelegation } from '../../../ledger/model';

/** One aggregate cell; counts default to `count` tickets with no outcomes known. */
export function cell(partial: Partial<AggregateRow> & { count: number }): AggregateRow {
	return {
		kind: partial.vendor ? 'external' : 'internal',
		vendor: null,
		reason: partial.vendor ? 'specialist' : 'default',
		topic: null,
		channel: null,
		language: null,
		cost: 0,
		slaKnown: 0,
		slaMet: 0,
		reopened: 0,
		outcomeKnown: 0,
		csatSum: 0,
		csatCount: 0,
		...partial,
	};
}

/** Cells for vendors with the given ticket counts. */
export function vendorCells(counts: Record<string, number>, extra: Partial<AggregateRow> = {}): AggregateRow[] {
	return Object.entries(counts).map(([vendor, count]) => cell({ vendor, count, ...extra }));
}

let serial = 0;

/** A ledger row as the router writes it. */
export function delegation(partial: Partial<NewDelegation> & { decidedAt: number }): NewDelegation {
	serial++;
	const external = partial.vendor !== undefined && partial.vendor !== null;
	return {
		id: `d-${serial}`,
		scope: 'default',
		ticketId: `T-${serial}`,
		destination: external ? `vendor:${partial.vendor}` : 'internal:tier1',
		kind: external ? 'external' : 'internal',
		vendor: null,
		contract: external ? 'specialist' : null,
		reason: external ? 'specialist' : 'default',
		ruleId: null,
		guardrail: null,
		policyVersion: 'v1',
		channel: null,
		language: null,
		topic: null,
		priority: null,
		costEstimate: 0,
		workflowId: null,
		executionId: null,
		previousId: null,
		matched: null,
		...partial,
	};
}

/** `count` delegations spread evenly over [from, to). */
export function spread(count: number, from: number, to: number, partial: Partial<NewDelegation> = {}): NewDelegation[] {
	const step = (to - from) / count;
	return Array.from({ length: count }, (_, i) => delegation({ ...partial, decidedAt: Math.floor(from + i * step) }));
}

/** Writes rows through a ledger's real batch path (one transaction per scope), as the router would. */
export async function seedLedger(
	ledger: { routeBatch: import('../../../ledger/ledger').Ledger['routeBatch'] },
	rows: NewDelegation[],
): Promise<void> {
	const byScope = new Map<string, NewDelegation[]>();
	for (const row of rows) byScope.set(row.scope, [...(byScope.get(row.scope) ?? []), row]);
	for (const [scope, scoped] of byScope) {
		await ledger.routeBatch(
			scope,
			{ now: Date.now(), ticketIds: [], vendors: [], internalWindowMs: 0, shareWindowMs: 0, monthStart: 0 },
			() => ({ rows: scoped, overflowActive: {}, result: undefined }),
		);
	}
}
