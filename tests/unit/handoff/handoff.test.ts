import { describe, expect, it } from 'vitest';

import type { HandoffJob, HandoffSettings, Sender } from '../../../vendor-boundary/handoff';
import { handOff } from '../../../vendor-boundary/handoff';
import { DEFAULT_INTERNAL_NOTE_KEYS } from '../../../domain/handoff/payload';
import { Redactor } from '../../../domain/redaction/redact';
import { idempotencyKey } from '../../../vendor-boundary/signing';
import type { DeliveryResult } from '../../../vendor-boundary/transport';
import type { HandoffState } from '../../../ledger/model';
import { MemoryLedger } from '../../doubles/memory-ledger';
import { delegationFor, seedDecisions } from './fixtures';

const settings: HandoffSettings = {
	vendors: ['acme'],
	notes: { keys: DEFAULT_INTERNAL_NOTE_KEYS, dropPrivateEntries: true },
	redactor: new Redactor(),
	concurrency: 3,
	now: () => Date.parse('2026-11-26T12:00:00Z'),
};

/** Records what it was asked to send and answers from a script per ticket. */
class ScriptedSender implements Sender {
	sent: Array<{ vendor: string; body: Record<string, unknown>; key: string }> = [];
	inFlight = 0;
	maxInFlight = 0;
	constructor(private readonly answer: (ticketId: string) => DeliveryResult = (t) => ({ ok: true, providerReference: `R-${t}`, httpStatus: 201, attempts: 1 })) {}
	async deliver(vendor: string, body: string, key: string): Promise<DeliveryResult> {
		this.inFlight++;
		this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
		await new Promise((r) => setTimeout(r, 2));
		this.inFlight--;
		const parsed = JSON.parse(body) as Record<string, unknown>;
		this.sent.push({ vendor, body: parsed, key });
		return this.answer(parsed.ticketId as string);
	}
}

const job = (ticketId: string, overrides: Parameters<typeof delegationFor>[2] = {}, vendor = 'acme') => ({
	ticket: { id: ticketId, subject: `Refund for ${ticketId}`, body: 'mail me: ann@example.com', internal_notes: 'fraud?', secret: 'x', comments: [{ body: 'hi', public: true }, { body: 'agent only', public: false }] },
	delegation: delegationFor(ticketId, vendor, overrides),
});

describe('handOff', () => {
	it('sends the redacted allow-listed envelope with the idempotency key and records handed_off', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const sender = new ScriptedSender();
		const [outcome] = await handOff(jobs, settings, sender, ledger);

		expect(sender.sent).toEqual([
			{
				vendor: 'acme',
				key: idempotencyKey('support-eu', 'T-1', 'acme', 'd-T-1'),
				body: {
					ticketId: 'T-1',
					decisionId: 'd-T-1',
					vendor: 'acme',
					reason: 'specialist',
					ticket: { id: 'T-1', subject: 'Refund for T-1', body: 'mail me: [EMAIL_1]', comments: [{ body: 'hi', public: true }] },
					redactions: { email: 1 },
				},
			},
		]);
		expect(outcome).toMatchObject({ status: 'delivered', source: 'vendor', providerReference: 'R-T-1', redactions: { email: 1 }, ledger: 'recorded', handedOffAt: '2026-11-26T12:00:00.000Z' });
		const [row] = await ledger.decisionsOf('support-eu', 'T-1');
		expect(row).toMatchObject({ status: 'handed_off', providerReference: 'R-T-1', handedOffAt: Date.parse('2026-11-26T12:00:00Z') });
	});

	it('does not send a ticket the ledger shows as already handed off to that vendor', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1'), job('T-2')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		await handOff(jobs, settings, new ScriptedSender(), ledger);

		const again = new ScriptedSender();
		const outcomes = await handOff(jobs, settings, again, ledger);
		expect(again.sent).toEqual([]);
		expect(outcomes.map((o) => [o.status, o.status === 'delivered' && o.source, o.status === 'delivered' && o.providerReference])).toEqual([
			['delivered', 'ledger', 'R-T-1'],
			['delivered', 'ledger', 'R-T-2'],
		]);
	});

	it('does not send again after a failed hand-off: the ticket went back to the internal queue', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const down = new ScriptedSender(() => ({ ok: false, errorClass: 'server_error', httpStatus: 503, message: 'Vendor failed with 503', vendorMessage: 'maintenance', attempts: 4 }));
		const [failed] = await handOff(jobs, settings, down, ledger);
		expect(failed).toMatchObject({ status: 'failed', errorClass: 'server_error', httpStatus: 503, attempts: 4, vendorMessage: 'maintenance', ledger: 'recorded' });
		expect((await ledger.decisionsOf('support-eu', 'T-1'))[0]).toMatchObject({ status: 'handoff_failed', errorClass: 'server_error' });
		expect(ledger.handoffOf('d-T-1')).toMatchObject({ state: 'failed', sends: 1, errorClass: 'server_error' });

		const up = new ScriptedSender();
		const [again] = await handOff(jobs, settings, up, ledger);
		expect(up.sent).toHaveLength(0);
		expect(again).toMatchObject({ status: 'failed', source: 'ledger', errorClass: 'server_error' });
	});

	it('refuses at the gate of the recorded terms without sending, and records the refusal', async () => {
		const ledger = new MemoryLedger();
		const region = job('T-1', { customerRegion: 'us' });
		const noDpa = job('T-2', { policyVersion: 'v2', vendorTerms: { dpa: false, dataRegions: [], allowedFields: ['id'] } });
		const noTerms = job('T-3', { policyVersion: 'v3', vendorTerms: null });
		await seedDecisions(ledger, [region, noDpa, noTerms].map((j) => j.delegation));
		const sender = new ScriptedSender();
		const outcomes = await handOff([region, noDpa, noTerms], settings, sender, ledger);
		expect(sender.sent).toEqual([]);
		expect(outcomes.map((o) => o.status === 'failed' && o.errorClass)).toEqual(['refused_region', 'refused_no_dpa', 'refused_no_terms']);
		expect((await ledger.list({ scope: 'support-eu' })).rows.map((r) => r.status)).toEqual(['handoff_failed', 'handoff_failed', 'handoff_failed']);
	});

	it('enforces the terms the router recorded, not the ones an item carries', async () => {
		const ledger = new MemoryLedger();
		const honest = job('T-1', { vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id'] } });
		await seedDecisions(ledger, [honest.delegation]);
		// Without terms on the item, the recorded ones apply: only `id` leaves, though subject and body are on the ticket.
		const sender = new ScriptedSender();
		const bare = { ...honest, delegation: { ...honest.delegation, vendorTerms: undefined } };
		const [outcome] = await handOff([bare], settings, sender, ledger);
		expect(outcome.status).toBe('delivered');
		expect(sender.sent[0].body.ticket).toEqual({ id: 'T-1' });
	});

	it('refuses invented and edited delegations naming the field, sends nothing and leaves the ledger as it was', async () => {
		const ledger = new MemoryLedger();
		const real = job('T-1');
		await seedDecisions(ledger, [real.delegation]);
		const before = ledger.all();
		const edit = (overrides: Parameters<typeof delegationFor>[2]) => ({ ...real, delegation: { ...real.delegation, ...overrides } as typeof real.delegation });
		const jobs = [
			job('T-404'),
			edit({ ticketId: 'T-2' }),
			edit({ vendorTerms: { dpa: true, dataRegions: ['eu', 'us'], allowedFields: ['id', 'subject', 'body', 'comments'] } }),
			edit({ vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id', 'subject', 'body', 'comments', 'requester'] } }),
			edit({ policyVersion: 'v0' }),
		];
		const sender = new ScriptedSender();
		const outcomes = await handOff(jobs, settings, sender, ledger);
		expect(sender.sent).toEqual([]);
		expect(outcomes.map((o) => o.status === 'failed' && [o.errorClass, o.field, o.ledger])).toEqual([
			['refused_unknown_decision', 'delegation.decisionId', 'not_written'],
			['refused_tampered', 'delegation.ticketId', 'not_written'],
			['refused_tampered', 'delegation.vendorTerms.dataRegions', 'not_written'],
			['refused_tampered', 'delegation.vendorTerms.allowedFields', 'not_written'],
			['refused_tampered', 'delegation.policyVersion', 'not_written'],
		]);
		expect(ledger.all()).toEqual(before);
		expect(ledger.handoffOf('d-T-1')).toBeUndefined();
	});

	it('refuses a delegation whose vendor was edited to one this endpoint serves', async () => {
		const ledger = new MemoryLedger();
		const toGlobex = job('T-1', {}, 'globex');
		await seedDecisions(ledger, [toGlobex.delegation]);
		const sender = new ScriptedSender();
		const [outcome] = await handOff([{ ...toGlobex, delegation: { ...toGlobex.delegation, vendor: 'acme' } }], settings, sender, ledger);
		expect(sender.sent).toEqual([]);
		expect(outcome).toMatchObject({ status: 'failed', errorClass: 'refused_tampered', field: 'delegation.vendor', message: expect.stringContaining('"globex"') });
	});

	it('fails tickets for a vendor this endpoint does not serve, without touching the ledger', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-9', {}, 'globex')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const sender = new ScriptedSender();
		const [outcome] = await handOff(jobs, settings, sender, ledger);
		expect(sender.sent).toEqual([]);
		expect(outcome).toMatchObject({ status: 'failed', errorClass: 'refused_vendor', ledger: 'not_written', message: expect.stringContaining('not vendor "globex"') });
		expect((await ledger.decisionsOf('support-eu', 'T-9'))[0].status).toBe('routed');
	});

	it('sends nothing for a dry-run decision and writes nothing to the ledger', async () => {
		const ledger = new MemoryLedger();
		const real = job('T-1');
		await seedDecisions(ledger, [real.delegation]);
		const dry = job('T-2', { ledger: 'dry-run' });
		const sender = new ScriptedSender();
		const outcomes = await handOff([dry, real], settings, sender, ledger);
		expect(sender.sent).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({ status: 'failed', errorClass: 'refused_dry_run', ledger: 'not_written', message: expect.stringContaining('dry run') });
		expect(outcomes[1]).toMatchObject({ status: 'delivered' });
		expect(await ledger.decisionsOf('support-eu', 'T-2')).toEqual([]);
	});

	it('records the intent with its key before the request and the result right after it, one ticket at a time', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1'), job('T-2'), job('T-3')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const seen: Array<[string, HandoffState | undefined, string | undefined, Array<HandoffState | undefined>]> = [];
		const sender: Sender = {
			deliver: async (_vendor, body, key) => {
				const ticketId = JSON.parse(body).ticketId as string;
				const h = ledger.handoffOf(`d-${ticketId}`);
				seen.push([ticketId, h?.state, h?.idempotencyKey === key ? 'same key' : h?.idempotencyKey, jobs.map((j) => ledger.handoffOf(j.delegation.decisionId)?.state)]);
				return { ok: true, providerReference: `R-${ticketId}`, httpStatus: 201, attempts: 1 };
			},
		};
		await handOff(jobs, { ...settings, concurrency: 1 }, sender, ledger);
		expect(seen).toEqual([
			['T-1', 'sending', 'same key', ['sending', undefined, undefined]],
			['T-2', 'sending', 'same key', ['delivered', 'sending', undefined]],
			['T-3', 'sending', 'same key', ['delivered', 'delivered', 'sending']],
		]);
	});

	it('keeps answers in doubt with the vendor (Pending), and asks again with the same key on the next run', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1'), job('T-2')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const doubtful = new ScriptedSender((t) =>
			t === 'T-1'
				? { ok: false, errorClass: 'in_flight', httpStatus: 409, message: 'Vendor is still processing', vendorMessage: null, attempts: 4 }
				: { ok: false, errorClass: 'timeout', httpStatus: null, message: 'No complete answer', vendorMessage: null, attempts: 4 },
		);
		const outcomes = await handOff(jobs, settings, doubtful, ledger);
		expect(outcomes.map((o) => [o.status, o.status !== 'delivered' && o.errorClass])).toEqual([
			['pending', 'in_flight'],
			['pending', 'timeout'],
		]);
		// Still the vendor's: open, so the router will not hand it to anyone else and no internal queue gets it.
		expect((await ledger.list({ scope: 'support-eu' })).rows.map((r) => r.status)).toEqual(['routed', 'routed']);
		const next = new ScriptedSender();
		const again = await handOff(jobs, settings, next, ledger);
		expect(next.sent.map((s) => s.key)).toEqual(doubtful.sent.map((s) => s.key));
		expect(again.map((o) => o.status)).toEqual(['delivered', 'delivered']);
		expect(ledger.handoffOf('d-T-1')).toMatchObject({ state: 'delivered', sends: 2 });
	});

	it('counts a 2xx without a reference as delivered: the vendor took the ticket, nobody else works it', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const noReference = new ScriptedSender(() => ({ ok: false, errorClass: 'malformed_response', httpStatus: 202, message: 'no reference', vendorMessage: null, attempts: 4 }));
		const [outcome] = await handOff(jobs, settings, noReference, ledger);
		expect(outcome).toMatchObject({ status: 'delivered', providerReference: null, httpStatus: 202 });
		expect((await ledger.decisionsOf('support-eu', 'T-1'))[0]).toMatchObject({ status: 'handed_off', providerReference: null });
		const again = new ScriptedSender();
		await handOff(jobs, settings, again, ledger);
		expect(again.sent).toEqual([]);
	});

	it('keeps at most `concurrency` hand-offs in flight and returns outcomes in input order', async () => {
		const ledger = new MemoryLedger();
		const sender = new ScriptedSender();
		const jobs = Array.from({ length: 20 }, (_, i) => job(`T-${i}`));
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const outcomes = await handOff(jobs, settings, sender, ledger);
		expect(sender.maxInFlight).toBe(3);
		expect(outcomes.map((o) => o.status === 'delivered' && o.providerReference)).toEqual(jobs.map((j) => `R-${j.delegation.ticketId}`));
	});

	it('keeps a delivered ticket on Delivered when the result cannot be written, and says why', async () => {
		const ledger = new MemoryLedger();
		await seedDecisions(ledger, [job('T-1').delegation]);
		// Intents go in; the first write that carries a result fails.
		const write = ledger.writeHandoffs.bind(ledger);
		ledger.writeHandoffs = async (scope, batch) => {
			if (batch.results.length > 0) throw new Error('database is locked');
			return write(scope, batch);
		};
		const [outcome] = await handOff([job('T-1')], settings, new ScriptedSender(), ledger);
		expect(outcome).toMatchObject({ status: 'delivered', providerReference: 'R-T-1', ledger: 'unavailable', ledgerError: 'database is locked' });
	});

	it('an item that cannot be prepared fails alone; the others are delivered and recorded', async () => {
		const ledger = new MemoryLedger();
		const jobs: HandoffJob[] = [job('T-1'), job('T-2'), job('T-3')];
		await seedDecisions(ledger, [job('T-1'), job('T-2'), job('T-3')].map((j) => j.delegation));
		// A body nested 10,000 deep: building the vendor body overflows the stack for this ticket only.
		let deep: Record<string, unknown> = { text: 'bottom' };
		for (let i = 0; i < 10_000; i++) deep = { inner: deep };
		jobs[1] = { ...jobs[1], ticket: { ...jobs[1].ticket, body: deep } };
		const sender = new ScriptedSender();
		const outcomes = await handOff(jobs, settings, sender, ledger);
		expect(outcomes.map((o) => o.status)).toEqual(['delivered', 'failed', 'delivered']);
		expect(outcomes[1]).toMatchObject({ errorClass: 'unbuildable', ledger: 'not_written' });
		expect(sender.sent.map((s) => s.body.ticketId)).toEqual(['T-1', 'T-3']);
		expect((await ledger.list({ scope: 'support-eu' })).rows.map((r) => [r.ticketId, r.status]).sort()).toEqual([
			['T-1', 'handed_off'],
			['T-2', 'routed'],
			['T-3', 'handed_off'],
		]);
	});

	it('sends a ticket that appears twice in one batch once, and gives both items the answer', async () => {
		const ledger = new MemoryLedger();
		const sender = new ScriptedSender();
		await seedDecisions(ledger, [job('T-1').delegation, job('T-2').delegation]);
		const outcomes = await handOff([job('T-1'), job('T-2'), job('T-1')], settings, sender, ledger);
		expect(sender.sent.map((s) => s.body.ticketId)).toEqual(['T-1', 'T-2']);
		expect(outcomes.map((o) => o.status === 'delivered' && o.providerReference)).toEqual(['R-T-1', 'R-T-2', 'R-T-1']);
	});
});
