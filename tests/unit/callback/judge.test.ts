import { describe, expect, it } from 'vitest';

import { judgeCallback, type CallbackReport } from '../../../domain/callback/judge';
import type { DelegationRecord, DelegationStatus } from '../../../ledger/model';
import { emptyRecord } from '../../../ledger/planning/records';
import { decision, NOW } from '../../ledger/fixtures';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const current = (status: DelegationStatus, overrides: Partial<DelegationRecord> = {}): DelegationRecord => ({
	...emptyRecord(decision({ ticketId: 'T-1', vendor: 'acme', destination: 'acme', kind: 'external' })),
	status,
	...overrides,
});

// Signed a day after the decision (fixtures' NOW); the vendor's clock may be 5 minutes off ours.
const SIGNED_AT = NOW + 24 * HOUR;
// handOffBegun: Provider Handoff recorded its intent to send the decision (as every decision past routed has had).
const judge = (decision: DelegationRecord | null, vendor: string, report: CallbackReport, handOffBegun = true) =>
	judgeCallback(decision && { decision, handOffBegun }, vendor, report, { signedAt: SIGNED_AT, slackMs: 5 * MINUTE });

describe('judging a verified callback on the ticket’s current decision', () => {
	it('gives one answer (404 naming ticketId) for a ticket with no decision, an internal one and another vendor’s: nothing told about tickets not the vendor’s own', () => {
		const expected = { refusal: { status: 404, error: 'no delegation of ticket "T-1" to vendor "acme" is recorded in this policy scope', field: 'ticketId' } };
		expect(judge(null, 'acme', { ticketId: 'T-1', status: 'accepted' })).toEqual(expected);
		expect(judge(current('handed_off', { vendor: 'globex', destination: 'globex' }), 'acme', { ticketId: 'T-1', status: 'resolved' })).toEqual(expected);
		expect(judge(current('routed', { vendor: null, destination: 'tier1', kind: 'internal' }), 'acme', { ticketId: 'T-1', status: 'resolved' })).toEqual(expected);
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
			expect(judge(current(from), 'acme', { ticketId: 'T-1', status: to as 'accepted' }), `${from} → ${to}`).toEqual({ update: { status: to } });
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
			const judged = judge(current(from), 'acme', { ticketId: 'T-1', status: to as 'accepted' });
			expect(judged, `${from} → ${to}`).toMatchObject({ refusal: { status: 409, field: 'status' } });
		}
		expect(judge(current('resolved'), 'acme', { ticketId: 'T-1', status: 'accepted' })).toEqual({
			refusal: {
				status: 409,
				error: 'ticket "T-1": "accepted" cannot follow "resolved": a delegation only moves forward (routed → handed_off → accepted → resolved, rejected or returned)',
				field: 'status',
			},
		});
	});

	it('updates exactly the fields the vendor sent', () => {
		const judged = judge(current('accepted'), 'acme', {
			ticketId: 'T-1',
			status: 'resolved',
			csat: 0,
			slaMet: false,
			resolvedAt: Date.UTC(2026, 2, 15, 18),
		});
		expect(judged).toEqual({ update: { status: 'resolved', csat: 0, slaMet: false, resolvedAt: Date.UTC(2026, 2, 15, 18) } });
	});

	it('takes reported times from the delegation to the signing, each give or take the 5 minutes the clocks may differ', () => {
		const decided = Date.UTC(2026, 2, 15, 10, 17, 23, 456);
		const signed = Date.UTC(2026, 2, 16, 10, 17, 23, 456);
		for (const field of ['at', 'firstResponseAt', 'resolvedAt'] as const) {
			for (const at of [decided - 5 * MINUTE, decided, signed, signed + 5 * MINUTE]) {
				expect(judge(current('accepted'), 'acme', { ticketId: 'T-1', status: 'resolved', [field]: at }), `${field} ${at}`).toEqual({ update: { status: 'resolved', [field]: at } });
			}
			expect(judge(current('accepted'), 'acme', { ticketId: 'T-1', status: 'resolved', [field]: decided - 5 * MINUTE - 1 })).toEqual({
				refusal: { status: 422, error: `${field} 2026-03-15T10:12:23.455Z is before the ticket was delegated to you (2026-03-15T10:17:23.456Z)`, field },
			});
			expect(judge(current('accepted'), 'acme', { ticketId: 'T-1', status: 'resolved', [field]: signed + 5 * MINUTE + 1 })).toEqual({
				refusal: {
					status: 422,
					error: `${field} 2026-03-16T10:22:23.457Z is after this callback was signed (2026-03-16T10:17:23.456Z): report times that have passed`,
					field,
				},
			});
		}
		// Year 0000 and a first response after the resolution reported with it.
		expect(judge(current('accepted'), 'acme', { ticketId: 'T-1', status: 'resolved', resolvedAt: -62_167_219_200_000 /* 0000-01-01T00:00:00Z */ })).toMatchObject({ refusal: { status: 422, field: 'resolvedAt' } });
		const backwards = { ticketId: 'T-1', status: 'resolved' as const, firstResponseAt: Date.UTC(2026, 2, 15, 12), resolvedAt: Date.UTC(2026, 2, 15, 11) };
		expect(judge(current('accepted'), 'acme', backwards)).toEqual({
			refusal: { status: 422, error: 'firstResponseAt 2026-03-15T12:00:00.000Z is after resolvedAt 2026-03-15T11:00:00.000Z', field: 'firstResponseAt' },
		});
	});

	it('refuses outcomes on a decision still routed that nobody began to send the vendor (409 naming ticketId), and takes them once the hand-off began', () => {
		const expected = {
			refusal: { status: 409, error: 'ticket "T-1": its current delegation to you has not been handed to you yet; report on tickets once they are sent to you', field: 'ticketId' },
		};
		expect(judge(current('routed'), 'acme', { ticketId: 'T-1', status: 'resolved', csat: 5 }, false)).toEqual(expected);
		expect(judge(current('routed'), 'acme', { ticketId: 'T-1', status: 'accepted' }, false)).toEqual(expected);
		// The vendor's callback may beat its own answer to the hand-off: the intent is recorded before the request goes.
		expect(judge(current('routed'), 'acme', { ticketId: 'T-1', status: 'accepted' }, true)).toEqual({ update: { status: 'accepted' } });
		// Recorded as handed off some other way (Delegation Log → Record Outcome): the vendor has it.
		expect(judge(current('handed_off'), 'acme', { ticketId: 'T-1', status: 'accepted' }, false)).toEqual({ update: { status: 'accepted' } });
	});

	it('takes CSAT, SLA met, reopened and resolvedAt with a resolution only (422 naming the field): a vendor cannot rate what it gives back', () => {
		const resolvedAt = Date.UTC(2026, 2, 15, 18);
		for (const status of ['accepted', 'rejected', 'returned'] as const) {
			for (const [field, value] of [['csat', 5], ['slaMet', true], ['reopened', false], ['resolvedAt', resolvedAt]] as const) {
				expect(judge(current('handed_off'), 'acme', { ticketId: 'T-1', status, [field]: value }), `${status} ${field}`).toEqual({
					refusal: { status: 422, error: `${field} is reported with status "resolved" only, not with "${status}"`, field },
				});
			}
		}
		// A first response may come with any status.
		expect(judge(current('handed_off'), 'acme', { ticketId: 'T-1', status: 'returned', firstResponseAt: resolvedAt })).toEqual({ update: { status: 'returned', firstResponseAt: resolvedAt } });
	});

	it('checks the first response against the resolution as the decision will hold them: one recorded earlier, or the resolution\'s at', () => {
		const accepted = current('accepted', { firstResponseAt: Date.UTC(2026, 2, 15, 12) });
		expect(judge(accepted, 'acme', { ticketId: 'T-1', status: 'resolved', resolvedAt: Date.UTC(2026, 2, 15, 11) })).toEqual({
			refusal: { status: 422, error: 'firstResponseAt 2026-03-15T12:00:00.000Z is after resolvedAt 2026-03-15T11:00:00.000Z', field: 'resolvedAt' },
		});
		expect(judge(accepted, 'acme', { ticketId: 'T-1', status: 'resolved', at: Date.UTC(2026, 2, 15, 11) })).toEqual({
			refusal: { status: 422, error: "firstResponseAt 2026-03-15T12:00:00.000Z is after resolvedAt 2026-03-15T11:00:00.000Z (the resolution's at)", field: 'at' },
		});
		expect(judge(current('handed_off'), 'acme', { ticketId: 'T-1', status: 'resolved', at: Date.UTC(2026, 2, 15, 11), firstResponseAt: Date.UTC(2026, 2, 15, 12) })).toMatchObject({
			refusal: { status: 422, field: 'firstResponseAt' },
		});
		// In order: recorded.
		expect(judge(accepted, 'acme', { ticketId: 'T-1', status: 'resolved', at: Date.UTC(2026, 2, 15, 13) })).toEqual({ update: { status: 'resolved', at: Date.UTC(2026, 2, 15, 13) } });
	});
});
