import { describe, expect, it } from 'vitest';

import type { HandoffJob, HandoffSettings, Sender } from '../../../vendor-boundary/handoff';
import { handOff } from '../../../vendor-boundary/handoff';
import { DEFAULT_INTERNAL_NOTE_KEYS } from '../../../domain/handoff/payload';
import { Redactor } from '../../../domain/redaction/redact';
import { idempotencyKey } from '../../../vendor-boundary/signing';
import type { DeliveryResult } from '../../../vendor-boundary/transport';
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

const job = (ticketId: string, overrides: Parameters<typeof delegationFor>[2] = {}, vendor = 'acme'): HandoffJob => ({
	ticket: { id: ticketId, subject: `Refund for ${ticketId}`, body: 'mail me: ann@example.com', internal_notes: 'fraud?', secret: 'x', comments: [{ body: 'hi', public: true }, { body: 'agent only', public: false }] },
	delegation: delegationFor(ticketId, vendor, overrides),
});

describe('handOff', () => {
	it('sends the redacted allow-listed envelope with the idempotency key and records handed_off', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const sender = new ScriptedSender();
		const [outcome] = await handOff(jobs, settings, sender, { ledger, error: null });

		expect(sender.sent).toEqual([
			{
				vendor: 'acme',
				key: idempotencyKey('support-eu', 'T-1', 'acme'),
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
		await handOff(jobs, settings, new ScriptedSender(), { ledger, error: null });

		const again = new ScriptedSender();
		const outcomes = await handOff(jobs, settings, again, { ledger, error: null });
		expect(again.sent).toEqual([]);
		expect(outcomes.map((o) => [o.status, o.status === 'delivered' && o.source, o.status === 'delivered' && o.providerReference])).toEqual([
			['delivered', 'ledger', 'R-T-1'],
			['delivered', 'ledger', 'R-T-2'],
		]);
	});

	it('sends again after a failed hand-off, and records handoff_failed with the error class', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const down = new ScriptedSender(() => ({ ok: false, errorClass: 'server_error', httpStatus: 503, message: 'Vendor failed with 503', vendorMessage: 'maintenance', attempts: 4 }));
		const [failed] = await handOff(jobs, settings, down, { ledger, error: null });
		expect(failed).toMatchObject({ status: 'failed', errorClass: 'server_error', httpStatus: 503, attempts: 4, vendorMessage: 'maintenance', ledger: 'recorded' });
		expect((await ledger.decisionsOf('support-eu', 'T-1'))[0]).toMatchObject({ status: 'handoff_failed', errorClass: 'server_error' });

		const up = new ScriptedSender();
		const [delivered] = await handOff(jobs, settings, up, { ledger, error: null });
		expect(up.sent).toHaveLength(1);
		expect(delivered).toMatchObject({ status: 'delivered', source: 'vendor' });
	});

	it('refuses at the gate without sending and records the refusal', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-1', { customerRegion: 'us' }), job('T-2', { vendorTerms: { dpa: false, dataRegions: [], allowedFields: ['id'] } }), job('T-3', { vendorTerms: null })];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const sender = new ScriptedSender();
		const outcomes = await handOff(jobs, settings, sender, { ledger, error: null });
		expect(sender.sent).toEqual([]);
		expect(outcomes.map((o) => o.status === 'failed' && o.errorClass)).toEqual(['refused_region', 'refused_no_dpa', 'refused_no_terms']);
		expect((await ledger.list({ scope: 'support-eu' })).rows.map((r) => r.status)).toEqual(['handoff_failed', 'handoff_failed', 'handoff_failed']);
	});

	it('fails tickets for a vendor this endpoint does not serve, without touching the ledger', async () => {
		const ledger = new MemoryLedger();
		const jobs = [job('T-9', {}, 'globex')];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const sender = new ScriptedSender();
		const [outcome] = await handOff(jobs, settings, sender, { ledger, error: null });
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
		const outcomes = await handOff([dry, real], settings, sender, { ledger, error: null });
		expect(sender.sent).toHaveLength(1);
		expect(outcomes[0]).toMatchObject({ status: 'failed', errorClass: 'refused_dry_run', ledger: 'not_written', message: expect.stringContaining('dry run') });
		expect(outcomes[1]).toMatchObject({ status: 'delivered' });
		expect(await ledger.decisionsOf('support-eu', 'T-2')).toEqual([]);
	});

	it('still delivers when the ledger is down, and says so on every outcome', async () => {
		const sender = new ScriptedSender();
		const outcomes = await handOff([job('T-1'), job('T-2')], settings, sender, { ledger: null, error: 'ledger.sqlite is locked' });
		expect(sender.sent).toHaveLength(2);
		expect(outcomes.map((o) => [o.status, o.ledger, o.ledgerError])).toEqual([
			['delivered', 'unavailable', 'ledger.sqlite is locked'],
			['delivered', 'unavailable', 'ledger.sqlite is locked'],
		]);
	});

	it('says not_found for tickets the ledger never saw (items built by hand)', async () => {
		const [outcome] = await handOff([job('T-1')], settings, new ScriptedSender(), { ledger: new MemoryLedger(), error: null });
		expect(outcome).toMatchObject({ status: 'delivered', ledger: 'not_found' });
	});

	it('keeps at most `concurrency` hand-offs in flight and returns outcomes in input order', async () => {
		const sender = new ScriptedSender();
		const jobs = Array.from({ length: 20 }, (_, i) => job(`T-${i}`));
		const outcomes = await handOff(jobs, settings, sender, { ledger: new MemoryLedger(), error: null });
		expect(sender.maxInFlight).toBe(3);
		expect(outcomes.map((o) => o.status === 'delivered' && o.providerReference)).toEqual(jobs.map((j) => `R-${j.delegation.ticketId}`));
	});

	it('writes all outcomes of a batch in one ledger call', async () => {
		class BatchLedger extends MemoryLedger {
			calls: number[] = [];
			async recordOutcomes(...args: Parameters<MemoryLedger['recordOutcomes']>) {
				this.calls.push(args[1].length);
				return super.recordOutcomes(...args);
			}
		}
		const ledger = new BatchLedger();
		const jobs = [job('T-1'), job('T-2'), job('T-3', { customerRegion: 'us' })];
		await seedDecisions(ledger, jobs.map((j) => j.delegation));
		const outcomes = await handOff(jobs, settings, new ScriptedSender(), { ledger, error: null });
		expect(ledger.calls).toEqual([3]);
		expect(outcomes.map((o) => o.ledger)).toEqual(['recorded', 'recorded', 'recorded']);
		expect((await ledger.list({ scope: 'support-eu' })).rows.map((r) => [r.ticketId, r.status]).sort()).toEqual([
			['T-1', 'handed_off'],
			['T-2', 'handed_off'],
			['T-3', 'handoff_failed'],
		]);
	});

	it('keeps a delivered ticket on Delivered when the outcome cannot be written, and says why', async () => {
		const ledger = new MemoryLedger();
		ledger.recordOutcomes = async () => {
			throw new Error('database is locked');
		};
		const [outcome] = await handOff([job('T-1')], settings, new ScriptedSender(), { ledger, error: null });
		expect(outcome).toMatchObject({ status: 'delivered', providerReference: 'R-T-1', ledger: 'unavailable', ledgerError: 'database is locked' });
	});

	it('sends a ticket that appears twice in one batch once, and gives both items the answer', async () => {
		const sender = new ScriptedSender();
		const outcomes = await handOff([job('T-1'), job('T-2'), job('T-1')], settings, sender, { ledger: new MemoryLedger(), error: null });
		expect(sender.sent.map((s) => s.body.ticketId)).toEqual(['T-1', 'T-2']);
		expect(outcomes.map((o) => o.status === 'delivered' && o.providerReference)).toEqual(['R-T-1', 'R-T-2', 'R-T-1']);
	});
});
