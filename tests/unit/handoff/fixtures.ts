import type { Ledger } from '../../../ledger/ledger';
import type { NewDelegation, RecordedTerms } from '../../../ledger/model';
import type { Delegation } from '../../../domain/routing/delegation';

/** A delegation as the Ticket Router puts it on an item, toward `vendor`. */
export function delegationFor(ticketId: string, vendor = 'acme', overrides: Partial<Delegation> = {}): Delegation & { vendor: string } {
	return {
		decisionId: `d-${ticketId}`,
		ticketId,
		destination: vendor,
		destinationName: vendor,
		kind: 'external',
		vendor,
		contract: 'specialist',
		reason: 'specialist',
		ruleId: 'billing',
		ruleName: 'Billing',
		matched: ['refund'],
		guardrail: null,
		policyVersion: 'v1',
		policyScope: 'support-eu',
		decidedAt: '2026-11-26T10:00:00.000Z',
		costEstimate: 4,
		previousDecisionId: null,
		ledger: 'recorded',
		customerRegion: 'eu',
		vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id', 'subject', 'body', 'comments'] },
		overflow: null,
		explanation: 'Rule 1 "Billing" (specialist) matched on keyword:refund → acme.',
		...overrides,
	} as Delegation & { vendor: string };
}

/** Records the router's decision for these tickets, with the terms each carries, as the Ticket Router would. */
export async function seedDecisions(ledger: Ledger, delegations: Delegation[]) {
	const scope = delegations[0].policyScope;
	const rows: NewDelegation[] = delegations.map((d, i) => ({
		id: d.decisionId,
		scope,
		ticketId: d.ticketId,
		decidedAt: Date.parse(d.decidedAt) + i,
		destination: d.destination,
		kind: d.kind,
		vendor: d.vendor,
		contract: d.contract,
		reason: d.reason,
		ruleId: d.ruleId,
		guardrail: null,
		policyVersion: d.policyVersion,
		channel: null,
		language: null,
		topic: null,
		priority: null,
		costEstimate: d.costEstimate,
		workflowId: null,
		executionId: null,
		previousId: null,
		matched: null,
	}));
	const now = Date.parse('2026-11-26T12:00:00Z');
	await ledger.routeBatch(
		scope,
		{ now, ticketIds: rows.map((r) => r.ticketId), vendors: [], internalWindowMs: 3_600_000, shareWindowMs: 86_400_000, monthStart: now - 86_400_000 },
		() => ({ rows, overflowActive: {}, terms: termsOf(delegations), result: undefined }),
	);
}

/** The terms the delegations carry, one per (policy version, vendor), as the router records them. */
function termsOf(delegations: Delegation[]): RecordedTerms[] {
	const out = new Map<string, RecordedTerms>();
	for (const d of delegations) {
		if (d.vendor && d.vendorTerms) out.set(`${d.policyVersion} ${d.vendor}`, { policyVersion: d.policyVersion, vendor: d.vendor, ...d.vendorTerms });
	}
	return [...out.values()];
}
