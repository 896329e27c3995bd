import { describe, expect, it } from 'vitest';

import { judgeCallback } from '../../../domain/callback/judge';
import type { DelegationRecord, DelegationStatus } from '../../../ledger/model';
import { emptyRecord } from '../../../ledger/planning/records';
import { decision } from '../../ledger/fixtures';

const current = (status: DelegationStatus, overrides: Partial<DelegationRecord> = {}): DelegationRecord => ({
	...emptyRecord(decision({ ticketId: 'T-1', vendor: 'acme', destination: 'acme', kind: 'external' })),
	status,
	...overrides,
});

describe('judging a verified callback on the ticket’s current decision', () => {
	it('refuses a ticket the scope has no decision for (404), naming the ticket id', () => {
		expect(judgeCallback(null, 'acme', { ticketId: 'T-1', status: 'accepted' })).toEqual({
			refusal: { status: 404, error: 'no delegation is recorded for ticket "T-1" in this policy scope', field: 'ticketId' },
		});
	});

	it('refuses another vendor’s ticket and an internal one alike (403): nothing told about whose it is', () => {
		const other = judgeCallback(current('handed_off', { vendor: 'globex', destination: 'globex' }), 'acme', { ticketId: 'T-1', status: 'resolved' });
		const internal = judgeCallback(current('routed', { vendor: null, destination: 'tier1', kind: 'internal' }), 'acme', { ticketId: 'T-1', status: 'resolved' });
		const expected = { refusal: { status: 403, error: 'ticket "T-1" is not delegated to vendor "acme"', field: 'ticketId' } };
		expect(other).toEqual(expected);
		expect(internal).toEqual(expected);
	});

	it('moves only forward: routed → handed_off → accepted → one end, never back, never from an end', () => {
		const forward: Array<[DelegationStatus, DelegationStatus]> = [
			['routed', 'accepted'],
			['routed', 'rejected'],
			['handed_off', 'accepted'],
			['handed_off', 'resolved'],
			['accepted', 'resolved'],
			['accepted', 'returned'],
			['accepted', 'rejected'],
		];
		for (const [from, to] of forward) {
			expect(judgeCallback(current(from), 'acme', { ticketId: 'T-1', status: to as 'accepted' }), `${from} → ${to}`).toEqual({ update: { status: to } });
		}
		const backward: Array<[DelegationStatus, DelegationStatus]> = [
			['resolved', 'accepted'],
			['accepted', 'accepted'],
			['resolved', 'resolved'],
			['resolved', 'returned'],
			['returned', 'resolved'],
			['rejected', 'accepted'],
			['handoff_failed', 'accepted'],
		];
		for (const [from, to] of backward) {
			const judged = judgeCallback(current(from), 'acme', { ticketId: 'T-1', status: to as 'accepted' });
			expect(judged, `${from} → ${to}`).toMatchObject({ refusal: { status: 409, field: 'status' } });
		}
		expect(judgeCallback(current('resolved'), 'acme', { ticketId: 'T-1', status: 'accepted' })).toEqual({
			refusal: {
				status: 409,
				error: 'ticket "T-1": "accepted" cannot follow "resolved": a delegation only moves forward (routed → handed_off → accepted → resolved, rejected or returned)',
				field: 'status',
			},
		});
	});

	it('updates exactly the fields the vendor sent', () => {
		const judged = judgeCallback(current('accepted'), 'acme', {
			ticketId: 'T-1',
			status: 'resolved',
			csat: 0,
			slaMet: false,
			resolvedAt: Date.UTC(2026, 10, 30),
		});
		expect(judged).toEqual({ update: { status: 'resolved', csat: 0, slaMet: false, resolvedAt: Date.UTC(2026, 10, 30) } });
	});
});
