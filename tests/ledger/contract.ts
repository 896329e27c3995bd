import { afterAll, beforeEach, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import type { AggregateRow, BatchPlan, LedgerSnapshot, NewDelegation, SnapshotRequest } from '../../ledger/model';
import { DAY, HOUR, NOW, decision, mixedDecisions, random, recordOne, request } from './fixtures';

/** Writes rows through routeBatch, as the router does, in batches of `size`. */
export async function write(ledger: Ledger, rows: NewDelegation[], size = 500) {
	const byScope = new Map<string, NewDelegation[]>();
	for (const r of rows) byScope.set(r.scope, [...(byScope.get(r.scope) ?? []), r]);
	for (const [scope, scoped] of byScope) {
		for (let i = 0; i < scoped.length; i += size) {
			const batch = scoped.slice(i, i + size);
			await ledger.routeBatch(scope, request(), () => plan(batch));
		}
	}
}

function plan(rows: NewDelegation[], overflowActive: Record<string, boolean> = {}): BatchPlan<number> {
	return { rows, overflowActive, result: rows.length };
}

/** The reference snapshot, with money compared to the micro-unit (sums of floats depend on their order). */
export function matching(want: LedgerSnapshot) {
	return {
		...want,
		vendors: Object.fromEntries(
			Object.entries(want.vendors).map(([v, c]) => [v, { ...c, costThisMonth: expect.closeTo(c.costThisMonth, 6) }]),
		),
	};
}

const sortGroups = (rows: AggregateRow[]) =>
	rows
		.map((r) => ({ ...r, cost: Math.round(r.cost * 1e6) / 1e6, csatSum: Math.round(r.csatSum * 1e6) / 1e6 }))
		.sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));

/**
 * The behaviour every Ledger backend owes the nodes. MemoryLedger is the reference: durable backends are
 * also compared with it on a randomized ledger, window by window. The reference itself is not compared with
 * itself (`isReference`): windows.test.ts checks every backend, the reference included, against hand arithmetic.
 */
export function ledgerContract(name: string, create: () => Promise<Ledger>, { isReference = false } = {}) {
	describe(`${name} ledger contract`, () => {
		let ledger: Ledger;
		const opened: Ledger[] = [];

		beforeEach(async () => {
			ledger = await create();
			opened.push(ledger);
		});
		afterAll(async () => {
			for (const l of opened) await l.close();
		});

		it('records a batch and returns every field exactly as written', async () => {
			const rows = [
				decision({
					ticketId: 'A',
					costEstimate: 12.34,
					decidedAt: NOW - 1,
					matched: JSON.stringify(['keyword:返金', 'schedule:outside office (closed: public holiday "Whit Monday")', 'field:intent_confidence greaterOrEqual 0.8']),
				}),
				decision({
					ticketId: 'B',
					kind: 'internal',
					destination: 'tier2',
					vendor: null,
					contract: null,
					ruleId: null,
					channel: null,
					language: null,
					topic: null,
					priority: null,
					workflowId: null,
					executionId: null,
					costEstimate: 0,
					guardrail: 'maxShare',
				}),
			];
			const result = await ledger.routeBatch('support', request({ ticketIds: ['A', 'B'] }), () => plan(rows));
			expect(result).toBe(2);
			for (const row of rows) {
				expect(await ledger.decisionsOf('support', row.ticketId)).toEqual([
					{
						...row,
						status: 'routed',
						handedOffAt: null,
						providerReference: null,
						firstResponseAt: null,
						resolvedAt: null,
						slaMet: null,
						csat: null,
						reopened: null,
						errorClass: null,
					},
				]);
			}
			expect(await ledger.decisionsOf('other-scope', 'A')).toEqual([]);
		});

		it('returns text with escapes, control characters and astral characters, and floats, exactly as written', async () => {
			const awkward = ['back\\slash "quoted" \\ud800 \\u0041 \\"', 'line\nbreak\ttab \u0001', 'emoji 🎫 and 中文', '{"looks":"like json"}', ''];
			const rows = awkward.map((text, i) =>
				decision({ ticketId: `W${i}:${text}`, matched: text, topic: text, costEstimate: [0.1 + 0.2, 1e-7, 123456789.125, 5e-324, 0][i], decidedAt: NOW + i }),
			);
			await ledger.routeBatch('support', request({ ticketIds: rows.map((r) => r.ticketId) }), () => plan(rows));
			for (const row of rows) expect(await ledger.decisionsOf('support', row.ticketId)).toMatchObject([row]);
		});

		it('returns every field exactly as written when the rows of a batch share values, null and awkward text included', async () => {
			// A router batch shares its scope, policy version, time, workflow and execution; here every column but the
			// ids holds one value in all three rows, or one value in two rows and another in the third.
			const shared = { decidedAt: NOW + 7, costEstimate: 0.1 + 0.2, matched: 'back\\slash "quoted" 🎫 \\ud800', vendor: null, contract: null, kind: 'internal' as const };
			const rows = [
				decision({ ...shared, ticketId: 'same-1', destination: 'tier1' }),
				decision({ ...shared, ticketId: 'same-2', destination: 'tier1' }),
				decision({ ...shared, ticketId: 'same-3', destination: 'tier2', topic: null }),
			];
			await ledger.routeBatch('support', request({ ticketIds: rows.map((r) => r.ticketId) }), () => plan(rows));
			for (const row of rows) expect(await ledger.decisionsOf('support', row.ticketId)).toMatchObject([row]);
		});

		it('puts each decision of a week of Kolkata days in its day: split hours, a 20-minute day between two, the ends', async () => {
			// Asia/Kolkata (UTC+5:30) midnights are at 18:30Z, so the hour 18:00–19:00Z of each boundary is split between
			// two days. Bucket 3 is 20 minutes inside one hour (no whole hour of its own), so bucket 4 starts at 18:50Z.
			const at = (iso: string) => Date.parse(iso);
			const bounds = ['03-01T18:30', '03-02T18:30', '03-03T18:30', '03-04T18:30', '03-04T18:50', '03-05T18:30', '03-06T18:30', '03-07T18:30'].map(
				(t) => at(`2026-${t}:00Z`),
			);
			const acme = (iso: string) => decision({ decidedAt: at(iso), costEstimate: 1 });
			const globex = (iso: string) => decision({ decidedAt: at(iso), vendor: 'globex', destination: 'globex', costEstimate: 2 });
			const internal = (iso: string) => decision({ decidedAt: at(iso), kind: 'internal', vendor: null, destination: 'tier1', contract: null, costEstimate: 0 });
			await write(ledger, [
				acme('2026-03-01T18:29:59.999Z'), // before the first day: out
				acme('2026-03-01T18:30:00Z'), // 0, first millisecond, in a split hour
				acme('2026-03-02T06:00:00Z'), // 0
				globex('2026-03-02T18:10:00Z'), // 0, split hour
				globex('2026-03-02T18:40:00Z'), // 1, split hour
				acme('2026-03-03T00:00:00Z'), // 1
				globex('2026-03-03T23:59:59.999Z'), // 2
				acme('2026-03-04T18:29:59.999Z'), // 2, last millisecond
				globex('2026-03-04T18:30:00Z'), // 3
				globex('2026-03-04T18:49:59.999Z'), // 3
				acme('2026-03-04T18:50:00Z'), // 4, rows up to 19:00Z
				acme('2026-03-05T12:00:00Z'), // 4
				acme('2026-03-05T18:00:00Z'), // 4, split hour
				internal('2026-03-06T05:00:00Z'), // 5
				globex('2026-03-06T18:29:59.999Z'), // 5
				acme('2026-03-07T10:00:00Z'), // 6
				acme('2026-03-07T18:29:59.999Z'), // 6, last millisecond of the last day
				acme('2026-03-07T18:30:00Z'), // the end: out
			]);
			const lines = (cells: Awaited<ReturnType<Ledger['series']>>) => cells.map((c) => `${c.bucket} ${c.kind} ${c.vendor ?? '-'} ${c.count} ${c.cost}`).sort();
			const want = [
				'0 external acme 2 2',
				'0 external globex 1 2',
				'1 external acme 1 1',
				'1 external globex 1 2',
				'2 external acme 1 1',
				'2 external globex 1 2',
				'3 external globex 2 4',
				'4 external acme 3 3',
				'5 external globex 1 2',
				'5 internal - 1 0',
				'6 external acme 2 2',
			];
			expect(lines(await ledger.series('support', bounds))).toEqual(want);
			expect(lines(await ledger.series(null, bounds))).toEqual(want);
			expect(await ledger.series('sales', bounds)).toEqual([]);
		});

		it('lists the scopes that have decisions, for the nodes’ Policy Scope lists', async () => {
			expect(await ledger.scopes()).toEqual([]);
			await write(ledger, [decision({ scope: 'support', ticketId: 'S1' }), decision({ scope: 'Sales', ticketId: 'S2' }), decision({ scope: 'support', ticketId: 'S3', kind: 'internal', vendor: null, destination: 'tier1' })]);
			// Code-unit order: upper case before lower case, on every backend.
			expect(await ledger.scopes()).toEqual(['Sales', 'support']);
		});

		it('writes nothing when decide throws, and stays usable', async () => {
			await expect(
				ledger.routeBatch('support', request(), () => {
					throw new Error('policy exploded');
				}),
			).rejects.toThrow('policy exploded');
			await ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'ok' })]));
			expect((await ledger.list({ scope: 'support' })).rows.map((r) => r.ticketId)).toEqual(['ok']);
		});

		it('writes nothing when mayWrite rejects, and stays usable', async () => {
			const refused = Promise.reject(new Error('the credential leads elsewhere now'));
			await expect(ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'refused' })]), refused)).rejects.toThrow(
				'the credential leads elsewhere now',
			);
			await ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'ok' })]));
			expect((await ledger.list({ scope: 'support' })).rows.map((r) => r.ticketId)).toEqual(['ok']);
		});

		it('writes once mayWrite resolves, and not before', async () => {
			let allow = () => {};
			const gate = new Promise<void>((resolve) => (allow = resolve));
			const batch = ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'gated' })]), gate);
			await new Promise((resolve) => setTimeout(resolve, 50));
			expect((await ledger.list({ scope: 'support' })).rows).toEqual([]);
			allow();
			expect(await batch).toBe(1);
			expect((await ledger.list({ scope: 'support' })).rows.map((r) => r.ticketId)).toEqual(['gated']);
		});

		it('hands decide the open decision of a ticket until it is closed, and the latest after a re-route', async () => {
			const first = decision({ ticketId: 'T1' });
			await ledger.routeBatch('support', request(), () => plan([first]));
			const seen: LedgerSnapshot[] = [];
			const look = async () => {
				await ledger.routeBatch('support', request({ ticketIds: ['T1', 'T2'] }), (s) => {
					seen.push(s);
					return plan([]);
				});
				return seen[seen.length - 1].open;
			};
			expect(Object.keys(await look())).toEqual(['T1']);
			expect((await look()).T1.id).toBe(first.id);

			const again = decision({ ticketId: 'T1', previousId: first.id, destination: 'globex', vendor: 'globex' });
			await ledger.routeBatch('support', request(), () => plan([again]));
			expect((await look()).T1).toMatchObject({ id: again.id, previousId: first.id, vendor: 'globex' });
			expect((await ledger.decisionsOf('support', 'T1')).map((r) => r.id)).toEqual([first.id, again.id]);

			await recordOne(ledger, 'support', 'T1', { status: 'resolved', at: NOW });
			expect(await look()).toEqual({});
			// The read-only snapshot agrees with the one taken inside the transaction.
			expect((await ledger.snapshot('support', request({ ticketIds: ['T1'] }))).open).toEqual({});
		});

		it('routes a closed ticket anew: the new decision becomes the one outcomes apply to', async () => {
			const first = decision({ ticketId: 'R' });
			await ledger.routeBatch('support', request({ ticketIds: ['R'] }), () => plan([first]));
			await recordOne(ledger, 'support', 'R', { status: 'returned' });
			const second = decision({ ticketId: 'R', vendor: 'globex', destination: 'globex' });
			await ledger.routeBatch('support', request({ ticketIds: ['R'] }), (snapshot) => {
				expect(snapshot.open).toEqual({});
				return plan([second]);
			});
			expect((await recordOne(ledger, 'support', 'R', { status: 'accepted' }))?.id).toBe(second.id);
			expect((await ledger.decisionsOf('support', 'R')).map((r) => [r.id, r.status])).toEqual([
				[first.id, 'returned'],
				[second.id, 'accepted'],
			]);
		});

		it('keeps the last decision of a ticket that appears twice in one batch', async () => {
			const a = decision({ ticketId: 'dup', vendor: 'acme' });
			const b = decision({ ticketId: 'dup', vendor: 'globex', destination: 'globex' });
			await ledger.routeBatch('support', request(), () => plan([a, b]));
			const snap = await ledger.snapshot('support', request({ ticketIds: ['dup'] }));
			expect(snap.open.dup.id).toBe(b.id);
			const updated = await recordOne(ledger, 'support', 'dup', { status: 'accepted' });
			expect(updated?.id).toBe(b.id);
		});

		it('re-routes requested tickets in the order they were asked for: each new decision supersedes its ticket\'s, the others stand', async () => {
			const [a, b, c] = ['A', 'B', 'C'].map((ticketId) => decision({ ticketId }));
			await ledger.routeBatch('support', request({ ticketIds: ['A', 'B', 'C'] }), () => plan([a, b, c]));
			const again = ['A', 'C', 'D'].map((ticketId) => decision({ ticketId, vendor: 'globex', destination: 'globex' }));
			await ledger.routeBatch('support', request({ ticketIds: ['A', 'B', 'C', 'D'] }), () => plan(again));
			const open = (await ledger.snapshot('support', request({ ticketIds: ['A', 'B', 'C', 'D'] }))).open;
			expect(Object.fromEntries(Object.entries(open).map(([ticket, record]) => [ticket, record.id]))).toEqual({ A: again[0].id, B: b.id, C: again[1].id, D: again[2].id });
			expect((await ledger.decisionsOf('support', 'A')).map((r) => r.id)).toEqual([a.id, again[0].id]);
			expect((await recordOne(ledger, 'support', 'C', { status: 'accepted' }))?.id).toBe(again[1].id);
		});

		it('keeps the last decision of a requested ticket that appears three times in one batch, superseding its earlier one', async () => {
			const earlier = decision({ ticketId: 'trio' });
			await ledger.routeBatch('support', request({ ticketIds: ['trio'] }), () => plan([earlier]));
			const [a, b, c] = ['acme', 'globex', 'acme'].map((vendor) => decision({ ticketId: 'trio', vendor, destination: vendor, previousId: earlier.id }));
			await ledger.routeBatch('support', request({ ticketIds: ['other', 'trio'] }), () => plan([a, decision({ ticketId: 'other' }), b, c]));
			const snap = await ledger.snapshot('support', request({ ticketIds: ['trio', 'other'] }));
			expect(snap.open.trio.id).toBe(c.id);
			expect(Object.keys(snap.open).sort()).toEqual(['other', 'trio']);
			expect((await recordOne(ledger, 'support', 'trio', { status: 'accepted' }))?.id).toBe(c.id);
			expect((await ledger.decisionsOf('support', 'trio')).map((r) => [r.id, r.status])).toEqual([
				[earlier.id, 'routed'],
				[a.id, 'routed'],
				[b.id, 'routed'],
				[c.id, 'accepted'],
			]);
		});

		// Requested: N1 R1 N2 N3 R2 N4 N5. Handed ahead: [N1, R1] (R1 re-routed), [N2, N3], then [N4, R2], out of that
		// order; the plan's own rows: N5 and R1 once more, which must replace the R1 row handed ahead. With `newTopic`, N2
		// has a dimension no batch has written before (a ledger on a server may keep that group for the write).
		for (const newTopic of [false, true]) {
			it(`records rows handed ahead as if the plan held them all: order, re-routes, the last row of a ticket, rollups${newTopic ? ' (a new dimension among them)' : ''}`, async () => {
				const earlier = ['R1', 'R2'].map((ticketId) => decision({ ticketId, costEstimate: 1 }));
				await ledger.routeBatch('support', request({ ticketIds: ['R1', 'R2'] }), () => plan(earlier));
				const row = (ticketId: string, more: Partial<NewDelegation> = {}) => decision({ ticketId, costEstimate: 2, ...more });
				const first = [row('N1'), row('R1', { previousId: earlier[0].id })];
				const second = [row('N2', newTopic ? { topic: 'a topic first seen here' } : {}), row('N3')];
				const third = [row('N4'), row('R2', { previousId: earlier[1].id })];
				const rest = [row('N5'), row('R1', { vendor: 'globex', destination: 'globex' })];
				const result = await ledger.routeBatch('support', request({ ticketIds: ['N1', 'R1', 'N2', 'N3', 'R2', 'N4', 'N5'] }), (_snapshot, ahead) => {
					ahead(first);
					ahead(second);
					ahead(third);
					return plan(rest);
				});
				expect(result).toBe(2);

				const ids = (ticketId: string) => ledger.decisionsOf('support', ticketId).then((rows) => rows.map((r) => r.id));
				expect(await ids('R1')).toEqual([earlier[0].id, first[1].id, rest[1].id]);
				expect(await ids('R2')).toEqual([earlier[1].id, third[1].id]);
				for (const r of [first[0], ...second, third[0], rest[0]]) expect(await ids(r.ticketId)).toEqual([r.id]);
				const open = (await ledger.snapshot('support', request({ ticketIds: ['N1', 'R1', 'N2', 'N3', 'R2', 'N4', 'N5'] }))).open;
				expect(Object.fromEntries(Object.entries(open).map(([ticket, record]) => [ticket, record.id]))).toEqual({
					N1: first[0].id, R1: rest[1].id, N2: second[0].id, N3: second[1].id, R2: third[1].id, N4: third[0].id, N5: rest[0].id,
				});
				// The ledger's order is the batch's: the rows handed ahead first, as handed, then the plan's.
				const listed = (await ledger.list({ scope: 'support', from: NOW, to: NOW + 1, limit: 20 })).rows.map((r) => r.id);
				expect(listed).toHaveLength(10);
				// Rollups: 2 rows at cost 1, then 8 at cost 2; one of them (N2) under its own topic when it has one.
				const groups = await ledger.aggregate('support', NOW - DAY, NOW + 1);
				expect(groups.reduce((n, g) => n + g.count, 0)).toBe(10);
				expect(groups.reduce((n, g) => n + g.cost, 0)).toBeCloseTo(18, 9);
				expect(groups.filter((g) => g.topic === 'a topic first seen here').map((g) => g.count)).toEqual(newTopic ? [1] : []);
				// The outcome lands on the ticket's current decision, the plan's R1.
				expect((await recordOne(ledger, 'support', 'R1', { status: 'accepted' }))?.id).toBe(rest[1].id);
			});
		}

		it('writes nothing when decide throws after handing rows ahead, and stays usable', async () => {
			await expect(
				ledger.routeBatch('support', request({ ticketIds: ['early-1', 'early-2'] }), (_snapshot, ahead) => {
					ahead([decision({ ticketId: 'early-1' })]);
					ahead([decision({ ticketId: 'early-2' })]);
					throw new Error('policy exploded after two groups');
				}),
			).rejects.toThrow('policy exploded after two groups');
			expect((await ledger.list({ scope: 'support' })).rows).toEqual([]);
			expect(await ledger.aggregate('support', NOW - DAY, NOW + 1)).toEqual([]);
			await ledger.routeBatch('support', request({ ticketIds: ['early-1'] }), (_snapshot, ahead) => {
				ahead([decision({ ticketId: 'early-1' })]);
				return plan([]);
			});
			expect((await ledger.list({ scope: 'support' })).rows.map((r) => r.ticketId)).toEqual(['early-1']);
		});

		it('refuses rows handed ahead for another scope, and writes nothing', async () => {
			await expect(
				ledger.routeBatch('support', request({ ticketIds: ['S1'] }), (_snapshot, ahead) => {
					ahead([decision({ ticketId: 'S1', scope: 'sales' })]);
					return plan([]);
				}),
			).rejects.toThrow(/scope "sales", not the batch's "support"/);
			expect((await ledger.list({})).rows).toEqual([]);
		});

		it('records outcomes on the latest decision, keeps unset fields, and returns null for unknown tickets', async () => {
			await ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'X', decidedAt: NOW - HOUR })]));
			expect(await recordOne(ledger, 'support', 'nope', { status: 'accepted' })).toBeNull();
			expect(await recordOne(ledger, 'sales', 'X', { status: 'accepted' })).toBeNull();

			const handed = await recordOne(ledger, 'support', 'X', {
				status: 'handed_off',
				at: NOW,
				providerReference: 'ZD-991',
			});
			expect(handed).toMatchObject({ status: 'handed_off', handedOffAt: NOW, providerReference: 'ZD-991' });
			const resolved = await recordOne(ledger, 'support', 'X', {
				status: 'resolved',
				resolvedAt: NOW + 5000,
				firstResponseAt: NOW + 100,
				slaMet: false,
				csat: 4.5,
				reopened: true,
				errorClass: 'none',
			});
			expect(resolved).toMatchObject({
				status: 'resolved',
				handedOffAt: NOW,
				providerReference: 'ZD-991',
				resolvedAt: NOW + 5000,
				firstResponseAt: NOW + 100,
				slaMet: false,
				csat: 4.5,
				reopened: true,
				errorClass: 'none',
			});
			expect((await ledger.decisionsOf('support', 'X'))[0]).toEqual(resolved);

			const [group] = await ledger.aggregate('support', NOW - DAY, NOW + 1);
			expect(group).toMatchObject({ count: 1, slaKnown: 1, slaMet: 0, outcomeKnown: 1, reopened: 1, csatSum: 4.5, csatCount: 1 });
			await recordOne(ledger, 'support', 'X', { status: 'resolved', slaMet: true, csat: 2 });
			const [after] = await ledger.aggregate('support', NOW - DAY, NOW + 1);
			expect(after).toMatchObject({ count: 1, slaKnown: 1, slaMet: 1, csatSum: 2, csatCount: 1 });
		});

		it.skipIf(isReference)('applies a batch of outcomes exactly as the same single calls in a row would, in one call', async () => {
			const rows = mixedDecisions(400, 5);
			await write(ledger, rows, 200);
			const reference = new MemoryLedger();
			reference.seed(rows);
			const rnd = random(17);
			const statuses = ['handed_off', 'accepted', 'rejected', 'resolved', 'returned', 'handoff_failed'] as const;
			for (let round = 0; round < 4; round++) {
				const scope = round % 2 ? 'sales' : 'support';
				const scoped = rows.filter((r) => r.scope === scope);
				// Unknown tickets, tickets of the other scope and the same ticket twice, among ordinary ones.
				const entries = Array.from({ length: 60 }, (_, k) => {
					const pickRow = rnd();
					const ticketId =
						pickRow < 0.1 ? `missing-${k}` : pickRow < 0.15 ? rows.find((r) => r.scope !== scope)!.ticketId : scoped[Math.floor(rnd() * 25)].ticketId;
					const update = {
						status: statuses[Math.floor(rnd() * statuses.length)],
						at: NOW + k,
						...(rnd() < 0.5 ? { slaMet: rnd() < 0.5 } : {}),
						...(rnd() < 0.5 ? { csat: Math.floor(rnd() * 5) + 1 } : {}),
						...(rnd() < 0.3 ? { reopened: rnd() < 0.5 } : {}),
						...(rnd() < 0.3 ? { providerReference: `P-${k}` } : {}),
						...(rnd() < 0.2 ? { errorClass: 'timeout' } : {}),
					};
					return { ticketId, update };
				});
				const got = await ledger.recordOutcomes(scope, entries);
				const want: Array<unknown> = [];
				for (const e of entries) want.push(await recordOne(reference, scope, e.ticketId, e.update));
				expect(got).toEqual(want);
			}
			for (const r of rows.slice(0, 60)) {
				expect(await ledger.decisionsOf(r.scope, r.ticketId)).toEqual(await reference.decisionsOf(r.scope, r.ticketId));
			}
			for (const [from, to] of [[NOW - 50 * DAY, NOW + DAY], [NOW - 7 * DAY + 1234, NOW - HOUR]] as const) {
				for (const scope of ['support', 'sales', null]) {
					expect(sortGroups(await ledger.aggregate(scope, from, to))).toEqual(sortGroups(await reference.aggregate(scope, from, to)));
				}
			}
			expect(await ledger.recordOutcomes('support', [])).toEqual([]);
		});

		it('keeps ids that are JavaScript property names (__proto__, constructor) as ids: open decisions, vendor counts, overflow state', async () => {
			// On a plain object `__proto__` would set the prototype instead of a key: the ticket would look undecided (and be
			// decided again), the vendor uncounted (its caps never binding).
			const at = Date.now();
			const names = ['__proto__', 'constructor'];
			const rows = names.map((name) => decision({ ticketId: name, vendor: name, destination: name, decidedAt: at }));
			const overflow: Record<string, boolean> = JSON.parse('{"__proto__": true, "constructor": true}');
			await ledger.routeBatch('support', request({ now: at }), () => plan(rows, overflow));
			const asked = request({ now: at, ticketIds: names, vendors: names });
			for (const read of [
				(r: SnapshotRequest) => ledger.snapshot('support', r),
				(r: SnapshotRequest) => ledger.routeBatch('support', r, (snapshot) => ({ ...plan([]), result: snapshot })),
			]) {
				const snapshot = await read(asked);
				expect(Object.keys(snapshot.open).sort()).toEqual(names);
				expect(names.map((name) => Object.hasOwn(snapshot.open, name) && snapshot.open[name].id)).toEqual(rows.map((r) => r.id));
				expect(names.map((name) => Object.hasOwn(snapshot.vendors, name) && snapshot.vendors[name].lastHour)).toEqual([1, 1]);
				expect(names.map((name) => Object.hasOwn(snapshot.overflowActive, name) && snapshot.overflowActive[name])).toEqual([true, true]);
			}
		});

		it('keeps peak-overflow state per scope and rule, merging each batch’s changes', async () => {
			await ledger.routeBatch('support', request(), () => plan([], { peak: true, nights: false }));
			await ledger.routeBatch('support', request(), () => plan([], { nights: true }));
			await ledger.routeBatch('sales', request(), () => plan([], { peak: false }));
			expect((await ledger.snapshot('support', request())).overflowActive).toEqual({ peak: true, nights: true });
			expect((await ledger.snapshot('sales', request())).overflowActive).toEqual({ peak: false });
		});

		it('reads no window for a request without counts: every count 0, the open decisions and overflow state as always', async () => {
			// Stamped now: the clock a batch reads its windows at.
			const at = Date.now();
			const open = decision({ ticketId: 'open-1', vendor: 'acme', decidedAt: at });
			const rows = [open, decision({ vendor: 'globex', decidedAt: at }), decision({ kind: 'internal', vendor: null, destination: 'tier1', decidedAt: at })];
			await ledger.routeBatch('support', request({ now: at }), () => plan(rows, { peak: true }));
			const counted = await ledger.snapshot('support', request({ now: at, ticketIds: ['open-1'] }));
			// The windows do hold these decisions…
			expect(counted.vendors.acme.lastHour + counted.vendors.globex.lastHour + counted.internalInWindow).toBe(3);
			const zero = { lastHour: 0, lastDay: 0, thisMonth: 0, costThisMonth: 0, inShareWindow: 0 };
			for (const read of [
				(r: SnapshotRequest) => ledger.snapshot('support', r),
				(r: SnapshotRequest) => ledger.routeBatch('support', r, (snapshot) => ({ ...plan([]), result: snapshot })),
			]) {
				const snapshot = await read(request({ now: Date.now(), ticketIds: ['open-1'], counts: false }));
				// …which a request without counts does not read.
				expect(snapshot).toMatchObject({ internalInWindow: 0, delegatedInShareWindow: 0, overflowActive: { peak: true } });
				expect(snapshot.vendors).toEqual({ acme: zero, globex: zero, initech: zero, constructor: zero });
				expect(Object.keys(snapshot.open)).toEqual(['open-1']);
				expect(snapshot.open['open-1'].id).toBe(open.id);
			}
		});

		it('serializes concurrent batches: each decides on the counts the previous one left', async () => {
			const cap = 7;
			const batches = Array.from({ length: 6 }, (_, b) =>
				ledger.routeBatch('support', request(), (snapshot) => {
					const room = Math.max(0, cap - snapshot.vendors.acme.lastHour);
					const rows = Array.from({ length: 3 }, (_, i) =>
						i < room
							? decision({ ticketId: `c-${b}-${i}`, decidedAt: snapshot.now })
							: decision({ ticketId: `c-${b}-${i}`, decidedAt: snapshot.now, kind: 'internal', vendor: null, destination: 'tier1' }),
					);
					return plan(rows);
				}),
			);
			await Promise.all(batches);
			expect((await ledger.snapshot('support', request())).vendors.acme.lastHour).toBe(cap);
			expect((await ledger.snapshot('support', request())).internalInWindow).toBe(18 - cap);
		});

		it('stamps a batch with a clock read under the lock: never before the batch committed ahead of it', async () => {
			// A batch that asked at NOW but got the lock later, behind a batch stamped in the future (another host's clock).
			const ahead = Date.now() + 60_000;
			await ledger.routeBatch('support', request(), () => plan([decision({ ticketId: 'ahead', decidedAt: ahead })]));
			const before = Date.now();
			const seen: number[] = [];
			await ledger.routeBatch('support', request(), (snapshot) => {
				seen.push(snapshot.now);
				return plan([decision({ ticketId: 'behind', decidedAt: snapshot.now })]);
			});
			expect(seen[0]).toBeGreaterThanOrEqual(ahead);
			// And a batch that waited, with nothing later in the ledger, is stamped no earlier than when it got the lock.
			const other = await create();
			opened.push(other);
			await other.routeBatch('quiet', request({ now: NOW }), (snapshot) => {
				seen.push(snapshot.now);
				return plan([]);
			});
			expect(seen[1]).toBeGreaterThanOrEqual(Math.min(before, ahead));
			const stamps = (await ledger.list({ scope: 'support' })).rows.map((r) => r.decidedAt);
			expect(stamps).toEqual([...stamps].sort((a, b) => b - a));
		});

		it.skipIf(isReference)('lists newest first with filters and pages that cover every row exactly once', async () => {
			const rows = mixedDecisions(230, 7);
			await write(ledger, rows, 100);
			await recordOne(ledger, rows[0].scope, rows[0].ticketId, { status: 'resolved' });
			const filters = [
				{},
				{ scope: 'support' },
				{ scope: 'sales', vendor: 'acme' },
				{ kind: 'internal' as const },
				{ reason: 'overflow', from: NOW - 10 * DAY, to: NOW },
				{ status: ['resolved' as const] },
				{ status: ['routed' as const, 'accepted' as const], scope: 'support' },
			];
			const reference = new MemoryLedger();
			reference.seed(rows);
			await recordOne(reference, rows[0].scope, rows[0].ticketId, { status: 'resolved' });
			for (const filter of filters) {
				const expected = (await reference.list({ ...filter, limit: 10_000 })).rows.map((r) => r.id);
				const seen: string[] = [];
				let cursor: string | undefined;
				let pages = 0;
				do {
					const page = await ledger.list({ ...filter, limit: 17, cursor });
					expect(page.rows.length).toBeLessThanOrEqual(17);
					seen.push(...page.rows.map((r) => r.id));
					cursor = page.nextCursor ?? undefined;
					pages++;
				} while (cursor && pages < 100);
				expect(seen, JSON.stringify(filter)).toEqual(expected);
			}
		});

		it.skipIf(isReference)('counts snapshots and aggregates exactly like the reference, on every window edge', async () => {
			const rows = mixedDecisions(1500, 42);
			await write(ledger, rows);
			const reference = new MemoryLedger();
			reference.seed(rows);
			// Outcomes move the outcome sums of old rollup cells.
			for (const r of rows.slice(0, 200)) {
				const update = { status: 'resolved' as const, slaMet: r.costEstimate > 3, csat: 3, reopened: false };
				await recordOne(ledger, r.scope, r.ticketId, update);
				await recordOne(reference, r.scope, r.ticketId, update);
			}

			const rnd = random(99);
			const nows = [NOW, NOW - 1, Math.floor(NOW / HOUR) * HOUR, Math.floor(NOW / DAY) * DAY - 1, NOW - 3 * DAY + 1234];
			for (let i = 0; i < 10; i++) nows.push(NOW - Math.floor(rnd() * 40 * DAY));
			for (const now of nows) {
				for (const scope of ['support', 'sales']) {
					const req = request({
						now,
						internalWindowMs: Math.floor(rnd() * 5 * HOUR) + 1,
						shareWindowMs: pickWindow(rnd),
						monthStart: Date.UTC(2026, new Date(now).getUTCMonth(), 1),
					});
					const got = await ledger.snapshot(scope, req);
					const want = await reference.snapshot(scope, req);
					expect(got, `${scope} at ${new Date(now).toISOString()}`).toEqual(matching(want));
				}
			}

			const ranges: Array<[number, number]> = [
				[NOW - 30 * DAY, NOW],
				[0, NOW + DAY],
				[NOW - DAY, NOW - DAY + 1],
				[Math.floor(NOW / DAY) * DAY, Math.floor(NOW / DAY) * DAY + DAY],
				[Math.floor(NOW / HOUR) * HOUR - 3 * HOUR, Math.floor(NOW / HOUR) * HOUR],
				[NOW, NOW],
			];
			for (let i = 0; i < 10; i++) {
				const a = NOW - Math.floor(rnd() * 46 * DAY);
				ranges.push([a, a + Math.floor(rnd() * 20 * DAY)]);
			}
			for (const [from, to] of ranges) {
				for (const scope of ['support', null]) {
					expect(sortGroups(await ledger.aggregate(scope, from, to)), `${scope} [${from}, ${to})`).toEqual(
						sortGroups(await reference.aggregate(scope, from, to)),
					);
				}
			}
		});
	});
}

function pickWindow(rnd: () => number) {
	const windows = [HOUR, DAY, 7 * DAY, 30 * DAY, 7 * DAY + 1234567];
	return windows[Math.floor(rnd() * windows.length)];
}
