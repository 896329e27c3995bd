import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import type { CallbackAnswer, CallbackPlan, CallbackReceipt, CallbackTarget, DelegationRecord, OutcomeUpdate } from '../../ledger/model';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { DAY, NOW, decision, request } from './fixtures';
import { dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/** A plan that records `update` and answers 200 with the status after it, or refuses with `refusal`. */
const recording = (update: OutcomeUpdate) => (): CallbackPlan => ({
	update,
	answer: (after: DelegationRecord): CallbackAnswer => ({ status: 200, body: { status: after.status, csat: after.csat, decisionId: after.id } }),
});
const refusing = (status: number) => (): CallbackPlan => ({ refusal: { status, body: { error: `refused ${status}` } } });

let n = 0;
const receipt = (overrides: Partial<CallbackReceipt> = {}): CallbackReceipt => ({
	vendor: 'acme',
	receiptHash: `hash-${++n}`,
	callbackId: null,
	reportHash: 'report-accepted',
	ticketId: 'T-1',
	receivedAt: NOW,
	...overrides,
});

/** Everything the ledger shows: every decision and the rollups' view of outcomes. */
async function state(ledger: Ledger) {
	return { rows: (await ledger.list({ limit: 1000 })).rows, groups: await ledger.aggregate(null, NOW - DAY, NOW + DAY) };
}

/** What every backend owes the Vendor Callback node: one transaction, at most once, nothing written on refusal. */
function callbackContract(name: string, create: () => Promise<Ledger>, reopen?: (ledger: Ledger) => Promise<Ledger>) {
	describe(`${name} ledger: vendor callbacks`, () => {
		let ledger: Ledger;
		let decisionId: string;
		const opened: Ledger[] = [];

		beforeEach(async () => {
			ledger = await create();
			opened.push(ledger);
			const row = decision({ ticketId: 'T-1', vendor: 'acme', destination: 'acme', decidedAt: NOW });
			decisionId = row.id;
			await ledger.routeBatch('support', request(), () => ({ rows: [row], overflowActive: {}, result: null }));
		});
		afterAll(async () => {
			for (const l of opened) await l.close();
		});

		it('records the outcome and hands the plan the current decision; the rollups move in the same transaction', async () => {
			let seen: CallbackTarget | null = null;
			const result = await ledger.recordCallback('support', receipt(), (current) => {
				seen = current;
				return recording({ status: 'resolved', csat: 4, slaMet: true, resolvedAt: NOW + 1 })();
			});
			expect(seen).toEqual({ decision: expect.objectContaining({ id: decisionId, status: 'routed', csat: null }), handOffBegun: false });
			expect(result).toEqual({
				kind: 'recorded',
				record: expect.objectContaining({ id: decisionId, status: 'resolved', csat: 4, slaMet: true, resolvedAt: NOW + 1 }),
				answer: { status: 200, body: { status: 'resolved', csat: 4, decisionId } },
			});
			const [group] = await ledger.aggregate('support', NOW - DAY, NOW + DAY);
			expect(group).toMatchObject({ count: 1, slaKnown: 1, slaMet: 1, csatSum: 4, csatCount: 1 });
		});

		it('tells the plan whether Provider Handoff began sending the decision: an intent is enough, whatever its answer', async () => {
			const begun = async () => {
				let seen: CallbackTarget | null = null;
				await ledger.recordCallback('support', receipt(), (current) => {
					seen = current;
					return refusing(409)();
				});
				return (seen as CallbackTarget | null)?.handOffBegun;
			};
			expect(await begun()).toBe(false);
			const intent = { decisionId, scope: 'support', ticketId: 'T-1', vendor: 'acme', idempotencyKey: 'k-1', state: 'sending' as const, sends: 1, startedAt: NOW, finishedAt: null, providerReference: null, httpStatus: null, errorClass: null };
			await ledger.writeHandoffs('support', { results: [], requests: [{ decisionId, plan: () => ({ intent, result: null }) }] });
			expect(await begun()).toBe(true);
		});

		it('answers the same signed bytes again with the first answer and writes nothing, even after a later status', async () => {
			const first = receipt();
			const recorded = await ledger.recordCallback('support', first, recording({ status: 'accepted' }));
			await ledger.recordCallback('support', receipt(), recording({ status: 'resolved', csat: 5 }));
			const before = await state(ledger);
			let judged = false;
			const replay = await ledger.recordCallback('support', { ...first, receivedAt: NOW + 60_000 }, () => {
				judged = true;
				return recording({ status: 'accepted' })();
			});
			expect(judged).toBe(false);
			expect(replay).toEqual({ kind: 'replayed', answer: (recorded as { answer: CallbackAnswer }).answer });
			expect(await state(ledger)).toEqual(before);
			expect(before.rows[0]).toMatchObject({ status: 'resolved', csat: 5 });
		});

		it('answers the same callback id of the same vendor again, whatever its bytes; another vendor’s id or bytes are its own', async () => {
			const first = await ledger.recordCallback('support', receipt({ callbackId: 'evt-1' }), recording({ status: 'accepted' }));
			const before = await state(ledger);
			// Other bytes (a new timestamp, another layout), the same report: a retry.
			const again = await ledger.recordCallback('support', receipt({ callbackId: 'evt-1' }), recording({ status: 'resolved' }));
			expect(again).toEqual({ kind: 'replayed', answer: (first as { answer: CallbackAnswer }).answer });
			expect(await state(ledger)).toEqual(before);
			// The same id or hash from another vendor is not this vendor's receipt: it is judged (and here refused).
			const other = await ledger.recordCallback('support', receipt({ vendor: 'globex', callbackId: 'evt-1' }), refusing(403));
			expect(other).toEqual({ kind: 'refused', answer: { status: 403, body: { error: 'refused 403' } } });
		});

		it('tells a callback id reused for another report from a retry: nothing written, nothing remembered, the first report stands', async () => {
			const first = await ledger.recordCallback('support', receipt({ callbackId: 'evt-7' }), recording({ status: 'accepted' }));
			const before = await state(ledger);
			let judged = false;
			const reused = await ledger.recordCallback('support', receipt({ callbackId: 'evt-7', reportHash: 'report-resolved' }), () => {
				judged = true;
				return recording({ status: 'resolved' })();
			});
			expect(reused).toEqual({ kind: 'idReused' });
			expect(judged).toBe(false);
			expect(await state(ledger)).toEqual(before);
			// The same signed bytes again are still a replay, and a retry of the first report still gets its answer.
			expect(await ledger.recordCallback('support', receipt({ callbackId: 'evt-7' }), recording({ status: 'resolved' }))).toEqual({
				kind: 'replayed',
				answer: (first as { answer: CallbackAnswer }).answer,
			});
		});

		it('writes nothing for a refusal, and remembers nothing: the same callback is judged again', async () => {
			const before = await state(ledger);
			const callback = receipt({ callbackId: 'evt-refused' });
			expect(await ledger.recordCallback('support', callback, refusing(409))).toEqual({ kind: 'refused', answer: { status: 409, body: { error: 'refused 409' } } });
			expect(await state(ledger)).toEqual(before);
			const later = await ledger.recordCallback('support', callback, recording({ status: 'accepted' }));
			expect(later.kind).toBe('recorded');
		});

		it('writes nothing when the plan throws, and stays usable', async () => {
			const before = await state(ledger);
			const callback = receipt();
			await expect(
				ledger.recordCallback('support', callback, () => {
					throw new Error('boom');
				}),
			).rejects.toThrow('boom');
			expect(await state(ledger)).toEqual(before);
			expect((await ledger.recordCallback('support', callback, recording({ status: 'accepted' }))).kind).toBe('recorded');
		});

		it('hands the plan null for a ticket the scope does not have', async () => {
			let seen: CallbackTarget | null | undefined;
			await ledger.recordCallback('sales', receipt(), (current) => {
				seen = current;
				return refusing(404)();
			});
			expect(seen).toBeNull();
		});

		it('records two identical callbacks arriving together once: the second gets the first answer', async () => {
			const same = receipt({ callbackId: 'evt-race' });
			const results = await Promise.all([
				ledger.recordCallback('support', same, recording({ status: 'accepted' })),
				ledger.recordCallback('support', same, recording({ status: 'accepted' })),
			]);
			expect(results.map((r) => r.kind).sort()).toEqual(['recorded', 'replayed']);
			const answers = results.map((r) => ('answer' in r ? r.answer : null));
			expect(answers[0]).not.toBeNull();
			expect(answers[1]).toEqual(answers[0]);
		});

		if (reopen) {
			it('remembers receipts across a restart (another connection to the same ledger)', async () => {
				const first = receipt({ callbackId: 'evt-restart' });
				const recorded = (await ledger.recordCallback('support', first, recording({ status: 'accepted' }))) as { answer: CallbackAnswer };
				const other = await reopen(ledger);
				opened.push(other);
				expect(await other.recordCallback('support', { ...first, receiptHash: 'fresh-bytes' }, recording({ status: 'resolved' }))).toEqual({
					kind: 'replayed',
					answer: recorded.answer,
				});
				expect(await other.recordCallback('support', { ...first, callbackId: null }, recording({ status: 'resolved' }))).toEqual({
					kind: 'replayed',
					answer: recorded.answer,
				});
			});
		}
	});
}

callbackContract('memory', async () => new MemoryLedger());

const folder = mkdtempSync(join(tmpdir(), 'sd-callback-sqlite-'));
let files = 0;
callbackContract(
	'sqlite',
	async () => SqliteLedger.open(join(folder, `callbacks-${++files}.sqlite`)),
	async (ledger) => SqliteLedger.open(ledger.location),
);

const unavailable = postgresUnavailable();
const schemas: string[] = [];
const schemaOf = new Map<Ledger, string>();
describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	afterAll(() => dropSchemas(schemas));
	callbackContract(
		'postgres',
		async () => {
			const schema = uniqueSchema('callbacks');
			schemas.push(schema);
			const ledger = await openPostgres(schema);
			schemaOf.set(ledger, schema);
			return ledger;
		},
		async (ledger) => openPostgres(schemaOf.get(ledger)!),
	);
});

describe('callback receipts written before schema version 12 (no report hash), embedded ledger', () => {
	it('are still answered as replays by their callback id, whatever the report: the migration makes no receipt refuse', async () => {
		const file = join(folder, 'receipts-v11.sqlite');
		const seeded = await SqliteLedger.open(file, { schemaVersion: 11 });
		const row = decision({ ticketId: 'T-1', vendor: 'acme', destination: 'acme', decidedAt: NOW });
		await seeded.routeBatch('support', request(), () => ({ rows: [row], overflowActive: {}, result: null }));
		await seeded.close();
		const db = new DatabaseSync(file);
		db.prepare(
			`INSERT INTO callback_receipts (vendor, receipt_hash, callback_id, scope, ticket_id, decision_id, received_at, answer_status, answer)
			VALUES ('acme', 'old-bytes', 'evt-old', 'support', 'T-1', ?, ?, 200, '{"recorded":true}')`,
		).run(row.id, NOW);
		db.close();

		const ledger = await SqliteLedger.open(file);
		try {
			const again = await ledger.recordCallback('support', receipt({ callbackId: 'evt-old', reportHash: 'report-resolved' }), recording({ status: 'resolved' }));
			expect(again).toEqual({ kind: 'replayed', answer: { status: 200, body: { recorded: true } } });
			// New receipts keep their report hash.
			await ledger.recordCallback('support', receipt({ callbackId: 'evt-new' }), recording({ status: 'accepted' }));
		} finally {
			await ledger.close();
		}
		const check = new DatabaseSync(file, { readOnly: true });
		expect(check.prepare(`SELECT callback_id, report_hash FROM callback_receipts ORDER BY callback_id`).all()).toEqual([
			{ callback_id: 'evt-new', report_hash: 'report-accepted' },
			{ callback_id: 'evt-old', report_hash: null },
		]);
		check.close();
	});
});
