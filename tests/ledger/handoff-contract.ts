import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import type { HandoffRecord, HandoffResult, HandoffView, RecordedTerms } from '../../ledger/model';
import { decision, request } from './fixtures';

const terms = (overrides: Partial<RecordedTerms> = {}): RecordedTerms => ({
	policyVersion: 'v1',
	vendor: 'acme',
	dpa: true,
	dataRegions: ['eu', 'uk'],
	allowedFields: ['id', 'subject', 'customer.tier'],
	...overrides,
});

const intent = (decisionId: string, ticketId: string, overrides: Partial<HandoffRecord> = {}): HandoffRecord => ({
	decisionId,
	scope: 'support',
	ticketId,
	vendor: 'acme',
	idempotencyKey: `key-${decisionId}`,
	state: 'sending',
	sends: 1,
	startedAt: 1_000,
	finishedAt: null,
	providerReference: null,
	httpStatus: null,
	errorClass: null,
	...overrides,
});

/** What the ledger holds about a decision, read the way Provider Handoff reads it (and writing nothing). */
const view = async (ledger: Ledger, decisionId: string, scope = 'support') =>
	(await ledger.writeHandoffs(scope, { results: [], requests: [{ decisionId, plan: (v: HandoffView) => ({ intent: null, result: v }) }] })).planned[0];

/** One intent, as Provider Handoff writes it. */
const begin = async <T>(ledger: Ledger, decisionId: string, plan: (v: HandoffView) => { intent: HandoffRecord | null; result: T }) =>
	(await ledger.writeHandoffs('support', { results: [], requests: [{ decisionId, plan }] })).planned[0];

/** One result, as Provider Handoff writes it. */
const finish = async (ledger: Ledger, handoff: HandoffRecord, outcome: HandoffResult['outcome']) =>
	(await ledger.writeHandoffs('support', { results: [{ handoff, outcome }], requests: [] })).recorded[0];

/** Hand-off bookkeeping (migration 6) every backend owes Provider Handoff. */
export function handoffContract(name: string, create: () => Promise<Ledger>) {
	describe(`${name} ledger hand-off contract`, () => {
		let ledger: Ledger;
		const opened: Ledger[] = [];
		beforeEach(async () => {
			ledger = await create();
			opened.push(ledger);
		});
		afterAll(async () => {
			for (const l of opened) await l.close();
		});

		it('keeps the terms recorded with a batch, first write per (scope, policy version, vendor) wins', async () => {
			const d = decision({ ticketId: 'H-1' });
			await ledger.routeBatch('support', request(), () => ({ rows: [d], overflowActive: {}, terms: [terms()], result: null }));
			// A later batch under the same version cannot change them (the version is a content hash of the policy).
			await ledger.routeBatch('support', request(), () => ({ rows: [], overflowActive: {}, terms: [terms({ dpa: false, allowedFields: ['everything'] })], result: null }));
			const seen = await view(ledger, d.id);
			expect(seen).toEqual({ decision: expect.objectContaining({ id: d.id, ticketId: 'H-1', vendor: 'acme', status: 'routed' }), current: true, terms: terms(), handoff: null });
			// Another scope, version or vendor has none.
			expect((await view(ledger, d.id, 'sales')).decision).toBeNull();
			const other = decision({ ticketId: 'H-2', policyVersion: 'v2' });
			await ledger.routeBatch('support', request(), () => ({ rows: [other], overflowActive: {}, result: null }));
			expect((await view(ledger, other.id)).terms).toBeNull();
		});

		it('knows no decision by an id it never recorded, and says when a decision was superseded', async () => {
			expect(await view(ledger, 'no-such-decision')).toEqual({ decision: null, current: false, terms: null, handoff: null });
			const first = decision({ ticketId: 'H-3' });
			const second = decision({ ticketId: 'H-3', previousId: first.id });
			await ledger.routeBatch('support', request(), () => ({ rows: [first], overflowActive: {}, result: null }));
			await ledger.recordOutcomes('support', [{ ticketId: 'H-3', update: { status: 'returned' } }]);
			await ledger.routeBatch('support', request(), () => ({ rows: [second], overflowActive: {}, result: null }));
			expect((await view(ledger, first.id)).current).toBe(false);
			expect((await view(ledger, second.id)).current).toBe(true);
		});

		it('writes the intent a plan returns, nothing when the plan throws, and the result with the outcome on the decision', async () => {
			const d = decision({ ticketId: 'H-4' });
			await ledger.routeBatch('support', request(), () => ({ rows: [d], overflowActive: {}, terms: [terms()], result: null }));
			await expect(
				begin(ledger, d.id, () => {
					throw new Error('body too deep');
				}),
			).rejects.toThrow('body too deep');
			expect((await view(ledger, d.id)).handoff).toBeNull();

			const got = await begin(ledger, d.id, (v) => ({ intent: intent(d.id, 'H-4'), result: v.handoff }));
			expect(got).toBeNull();
			expect((await view(ledger, d.id)).handoff).toEqual(intent(d.id, 'H-4'));

			const done = intent(d.id, 'H-4', { state: 'delivered', finishedAt: 2_000, providerReference: 'VND-9', httpStatus: 201 });
			const after = await finish(ledger, done, { status: 'handed_off', providerReference: 'VND-9', handedOffAt: 2_000 });
			expect(after).toMatchObject({ id: d.id, status: 'handed_off', providerReference: 'VND-9', handedOffAt: 2_000 });
			const seen = await view(ledger, d.id);
			expect(seen.handoff).toEqual(done);
			expect(seen.decision).toMatchObject({ status: 'handed_off', providerReference: 'VND-9' });
		});

		it('records a pending result without touching the decision, and replaces it on the next attempt', async () => {
			const d = decision({ ticketId: 'H-5' });
			await ledger.routeBatch('support', request(), () => ({ rows: [d], overflowActive: {}, terms: [terms()], result: null }));
			await begin(ledger, d.id, () => ({ intent: intent(d.id, 'H-5'), result: null }));
			expect(await finish(ledger, intent(d.id, 'H-5', { state: 'pending', finishedAt: 1_500, httpStatus: 409, errorClass: 'in_flight' }), null)).toBeNull();
			expect((await view(ledger, d.id)).decision?.status).toBe('routed');
			await begin(ledger, d.id, (v) => ({ intent: intent(d.id, 'H-5', { sends: v.handoff!.sends + 1, startedAt: 3_000 }), result: null }));
			expect((await view(ledger, d.id)).handoff).toEqual(intent(d.id, 'H-5', { sends: 2, startedAt: 3_000 }));
		});

		it("keeps the vendor's word when its callback lands before its answer to the hand-off: the answer only fills in when and the reference", async () => {
			const d = decision({ ticketId: 'H-7' });
			await ledger.routeBatch('support', request(), () => ({ rows: [d], overflowActive: {}, terms: [terms()], result: null }));
			await begin(ledger, d.id, () => ({ intent: intent(d.id, 'H-7'), result: null }));
			// The vendor's system resolves the ticket (and calls back) while our POST still waits for its answer.
			await ledger.recordOutcomes('support', [{ ticketId: 'H-7', update: { status: 'resolved', resolvedAt: 1_800, csat: 2, slaMet: false } }]);
			const done = intent(d.id, 'H-7', { state: 'delivered', finishedAt: 2_000, providerReference: 'VND-7', httpStatus: 201 });
			const after = await finish(ledger, done, { status: 'handed_off', providerReference: 'VND-7', handedOffAt: 2_000 });
			expect(after).toMatchObject({ id: d.id, status: 'resolved', resolvedAt: 1_800, csat: 2, slaMet: false, handedOffAt: 2_000, providerReference: 'VND-7' });
			const seen = await view(ledger, d.id);
			expect(seen.decision).toMatchObject({ status: 'resolved', resolvedAt: 1_800, csat: 2, handedOffAt: 2_000, providerReference: 'VND-7' });
			expect(seen.handoff).toEqual(done);
			// A reference the vendor already reported is not replaced by the one in the answer.
			const e = decision({ ticketId: 'H-8' });
			await ledger.routeBatch('support', request(), () => ({ rows: [e], overflowActive: {}, terms: [terms()], result: null }));
			await ledger.recordOutcomes('support', [{ ticketId: 'H-8', update: { status: 'accepted', providerReference: 'CASE-8' } }]);
			await finish(ledger, intent(e.id, 'H-8', { state: 'delivered', finishedAt: 2_500 }), { status: 'handed_off', providerReference: 'OTHER', handedOffAt: 2_500 });
			expect((await view(ledger, e.id)).decision).toMatchObject({ status: 'accepted', providerReference: 'CASE-8', handedOffAt: 2_500 });
		});

		it('does not turn a ticket the vendor already accepted into a failed hand-off when a late answer is an error', async () => {
			const d = decision({ ticketId: 'H-9' });
			await ledger.routeBatch('support', request(), () => ({ rows: [d], overflowActive: {}, terms: [terms()], result: null }));
			await ledger.recordOutcomes('support', [{ ticketId: 'H-9', update: { status: 'accepted' } }]);
			const failed = intent(d.id, 'H-9', { state: 'failed', finishedAt: 2_000, httpStatus: 502, errorClass: 'server_error' });
			const after = await finish(ledger, failed, { status: 'handoff_failed', errorClass: 'server_error' });
			expect(after).toMatchObject({ id: d.id, status: 'accepted', errorClass: null });
			const seen = await view(ledger, d.id);
			expect(seen.decision).toMatchObject({ status: 'accepted', errorClass: null });
			expect(seen.handoff).toEqual(failed);
		});

		it('does not apply a hand-off outcome to a decision that was superseded meanwhile', async () => {
			const first = decision({ ticketId: 'H-6' });
			await ledger.routeBatch('support', request(), () => ({ rows: [first], overflowActive: {}, terms: [terms()], result: null }));
			await begin(ledger, first.id, () => ({ intent: intent(first.id, 'H-6'), result: null }));
			const second = decision({ ticketId: 'H-6' });
			await ledger.recordOutcomes('support', [{ ticketId: 'H-6', update: { status: 'returned' } }]);
			await ledger.routeBatch('support', request(), () => ({ rows: [second], overflowActive: {}, result: null }));
			const late = intent(first.id, 'H-6', { state: 'delivered', finishedAt: 2_000, providerReference: 'VND-1' });
			expect(await finish(ledger, late, { status: 'handed_off', providerReference: 'VND-1' })).toBeNull();
			const decisions = await ledger.decisionsOf('support', 'H-6');
			expect(decisions.map((x) => [x.id, x.status])).toEqual([
				[first.id, 'returned'],
				[second.id, 'routed'],
			]);
			expect((await view(ledger, first.id)).handoff).toEqual(late);
		});
	});
}
