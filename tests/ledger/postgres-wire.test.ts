import { spawnSync } from 'node:child_process';
import { Socket } from 'node:net';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { Client, type PoolClient } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { batchDimensions } from '../../ledger/postgres/json-rows';
import { sentTogether } from '../../ledger/postgres/together';
import type { BatchPlan, LedgerSnapshot, NewDelegation } from '../../ledger/model';
import { decision, HOUR, request } from './fixtures';
import { dropSchemas, openPostgres, PG, postgresUnavailable, uniqueSchema } from './postgres';

/** A client double whose connection writes into `stream`, as pg's does. */
const clientOn = (stream: unknown) => ({ connection: { stream } }) as unknown as PoolClient;

/** A Writable that records each call it gets: one per write the socket would make. */
function recordingStream() {
	const calls: string[][] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			calls.push([chunk.toString()]);
			done();
		},
		writev(chunks, done) {
			calls.push(chunks.map(({ chunk }) => String(chunk)));
			done();
		},
	});
	return { stream, calls };
}

describe('statements sent together', () => {
	it('what is written while the statements are handed over leaves in one write, in order', () => {
		const { stream, calls } = recordingStream();
		const result = sentTogether(clientOn(stream), () => {
			stream.write('BEGIN');
			stream.write('LOCK');
			stream.write('SNAPSHOT');
			return 'sent';
		});
		expect(result).toBe('sent');
		expect(calls).toEqual([['BEGIN', 'LOCK', 'SNAPSHOT']]);
	});

	it('a failure while handing over still lets what was written go, and the next write goes at once', () => {
		const { stream, calls } = recordingStream();
		expect(() =>
			sentTogether(clientOn(stream), () => {
				stream.write('BEGIN');
				throw new Error('bad value');
			}),
		).toThrow('bad value');
		stream.write('ROLLBACK');
		expect(calls).toEqual([['BEGIN'], ['ROLLBACK']]);
	});

	it('a connection without a socket that holds writes back sends as before', () => {
		expect(sentTogether(clientOn(undefined), () => 42)).toBe(42);
		expect(sentTogether({} as PoolClient, () => 'plain')).toBe('plain');
	});
});

describe('a batch’s dimensions', () => {
	it('each row points at its dimension among the batch’s distinct ones, first seen first (1-based)', () => {
		expect(batchDimensions([7, 3, 7, 9, 3])).toEqual({ ids: [7, 3, 9], positions: '[1,2,1,3,2]' });
		expect(batchDimensions([])).toEqual({ ids: [], positions: '[]' });
	});
});

const unavailable = postgresUnavailable();
const schemas: string[] = [];

describe.skipIf(unavailable !== null)('PostgreSQL batches on the wire', () => {
	afterAll(() => dropSchemas(schemas));

	async function ledger(label: string) {
		const schema = uniqueSchema(label);
		schemas.push(schema);
		return { schema, ledger: await openPostgres(schema) };
	}

	/** Writes made to the server while `run` runs: each is one system call, a socket's _write or _writev. */
	async function writesDuring(run: () => Promise<unknown>, counted?: (writes: number, socket: Socket) => void): Promise<number> {
		let writes = 0;
		const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
		const originals = { _write: socket._write, _writev: socket._writev };
		for (const name of ['_write', '_writev'] as const) {
			socket[name] = function (this: Socket, ...args: unknown[]) {
				if (this.remotePort === Number(PG.port)) {
					writes++;
					counted?.(writes, this);
				}
				return originals[name].apply(this, args);
			};
		}
		try {
			await run();
		} finally {
			Object.assign(socket, originals);
		}
		return writes;
	}

	it('one ticket is two writes to the server: BEGIN, the scope’s lock and the snapshot; then the rows and COMMIT', async () => {
		const { ledger: l } = await ledger('wire');
		try {
			// The connection and its prepared statements exist after a first batch.
			await l.routeBatch('support', request(), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const row = decision();
			const writes = await writesDuring(() =>
				l.routeBatch('support', request({ ticketIds: [row.ticketId] }), () => ({ rows: [row], overflowActive: { peak: true }, result: null })),
			);
			expect(writes).toBe(2);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => d.id)).toEqual([row.id]);
			// A re-route also supersedes the ticket's decision: still the same two writes.
			const again = decision({ ticketId: row.ticketId });
			expect(
				await writesDuring(() => l.routeBatch('support', request({ ticketIds: [row.ticketId] }), () => ({ rows: [again], overflowActive: {}, result: null }))),
			).toBe(2);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => d.id)).toEqual([row.id, again.id]);
		} finally {
			await l.close();
		}
	});

	it('allowed to commit while the snapshot was on its way, the batch is still two writes; allowed only later, COMMIT leaves once it is', async () => {
		const { ledger: l } = await ledger('permit');
		try {
			await l.routeBatch('support', request(), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const early = decision();
			const allowedAtOnce = Promise.resolve();
			expect(await writesDuring(() => l.routeBatch('support', request({ ticketIds: [early.ticketId] }), () => ({ rows: [early], overflowActive: {}, result: null }), allowedAtOnce))).toBe(2);
			expect((await l.decisionsOf('support', early.ticketId)).map((d) => d.id)).toEqual([early.id]);

			const late = decision();
			let allow!: () => void;
			const allowedLater = new Promise<void>((resolve) => (allow = resolve));
			let writesWhenAllowed = -1;
			let writes = 0;
			const total = await writesDuring(
				() =>
					l.routeBatch(
						'support',
						request({ ticketIds: [late.ticketId] }),
						() => {
							// Allowed once the rows have left: the snapshot's write and the rows' write are out, COMMIT is not.
							setTimeout(() => {
								writesWhenAllowed = writes;
								allow();
							}, 50);
							return { rows: [late], overflowActive: {}, result: null };
						},
						allowedLater,
					),
				(n) => (writes = n),
			);
			expect(writesWhenAllowed).toBe(2);
			expect(total).toBe(3);
			expect((await l.decisionsOf('support', late.ticketId)).map((d) => d.id)).toEqual([late.id]);
		} finally {
			await l.close();
		}
	});

	/**
	 * What the server's session of this schema's batch has done, asked from another process while this one is busy
	 * (inside a synchronous decide, nothing here can await): its state, and whether its last statement inserted rows
	 * and was the batch's whole write (with the rollups), once it inserted rows or after `waitMs`. With `terminate`, the
	 * server then ends that session, as an administrator or a failover would.
	 */
	function serverSessionOf(schema: string, waitMs: number, terminate = false): { state: string; inserted: boolean; rollups: boolean } | null {
		const probe = spawnSync(
			process.execPath,
			[
				'-e',
				`const { Client } = require('pg');
				const [config, schema, waitMs, terminate] = JSON.parse(process.argv[1]);
				const c = new Client(config);
				const ask = () => c.query("SELECT pid, state, query LIKE '%INSERT INTO%' AS inserted, query LIKE '%cells AS%' AS rollups FROM pg_stat_activity WHERE pid <> pg_backend_pid() AND state LIKE 'idle in transaction%' AND query LIKE '%' || $1 || '%'", [schema]);
				(async () => {
					await c.connect();
					const until = Date.now() + waitMs;
					let rows;
					do rows = (await ask()).rows; while (!rows.some((r) => r.inserted) && Date.now() < until && (await new Promise((r) => setTimeout(r, 20)), true));
					const found = rows.find((r) => r.inserted) ?? rows[0];
					if (found && terminate) await c.query('SELECT pg_terminate_backend($1)', [found.pid]);
					console.log(JSON.stringify(found ? { state: found.state, inserted: found.inserted, rollups: found.rollups } : null));
					await c.end();
				})();`,
				JSON.stringify([PG, schema, waitMs, terminate]),
			],
			{ cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: waitMs + 10_000 },
		);
		return JSON.parse(probe.stdout.trim() || 'null');
	}

	it('rows handed ahead reach the server and are stored while the batch is still being decided; the rest go with COMMIT', async () => {
		const { schema, ledger: l } = await ledger('ahead');
		try {
			// The connection, its prepared statements and the dimension exist after a first batch.
			await l.routeBatch('support', request(), () => ({ rows: [decision({ ticketId: 'first' })], overflowActive: {}, result: null }));
			const group = Array.from({ length: 500 }, (_, i) => decision({ ticketId: `ahead-${i}` }));
			const last = decision({ ticketId: 'ahead-last' });
			let writesBeforeDecide = -1;
			let writesAfterGroup = -1;
			let seen: ReturnType<typeof serverSessionOf> = null;
			let writes = 0;
			const total = await writesDuring(
				() =>
					l.routeBatch('support', request({ ticketIds: [...group, last].map((r) => r.ticketId) }), (_snapshot, ahead) => {
						writesBeforeDecide = writes;
						// An empty group is nothing to send.
						ahead([]);
						expect(writes).toBe(writesBeforeDecide);
						ahead(group);
						writesAfterGroup = writes;
						// Still deciding: the server has run the group's INSERT and waits, in the transaction, for more.
						seen = serverSessionOf(schema, 5_000);
						return { rows: [last], overflowActive: {}, result: null };
					}),
				(n) => (writes = n),
			);
			expect(writesBeforeDecide).toBe(1);
			expect(writesAfterGroup).toBe(2);
			expect(seen).toEqual({ state: 'idle in transaction', inserted: true, rollups: false });
			expect(total).toBe(3);
			const stored = await l.list({ scope: 'support', limit: 1_000 });
			expect(stored.rows).toHaveLength(502);
			expect(new Set(stored.rows.map((r) => r.ticketId)).size).toBe(502);
		} finally {
			await l.close();
		}
	});

	it('the server session ended after a group went ahead, while deciding: the batch fails visibly, nothing of it stays, the next batch records', async () => {
		const { schema, ledger: l } = await ledger('aheadcut');
		try {
			await l.routeBatch('support', request(), () => ({ rows: [decision({ ticketId: 'first' })], overflowActive: {}, result: null }));
			const group = Array.from({ length: 200 }, (_, i) => decision({ ticketId: `cut-${i}` }));
			let ended: ReturnType<typeof serverSessionOf> = null;
			const failed = await l
				.routeBatch('support', request({ ticketIds: [...group.map((r) => r.ticketId), 'cut-last'] }), (_snapshot, ahead) => {
					ahead(group);
					ended = serverSessionOf(schema, 5_000, true);
					return { rows: [decision({ ticketId: 'cut-last' })], overflowActive: {}, result: null };
				})
				.then(
					() => null,
					(error: Error) => error,
				);
			// The fault landed where the test says: on the session holding the group's INSERT, before the batch's write.
			expect(ended).toEqual({ state: 'idle in transaction', inserted: true, rollups: false });
			expect(failed?.message).toMatch(/is unavailable: terminating connection due to administrator command/);
			expect((await l.list({ scope: 'support', limit: 500 })).rows.map((r) => r.ticketId)).toEqual(['first']);
			const retry = group.map((r) => decision({ ticketId: r.ticketId }));
			await l.routeBatch('support', request({ ticketIds: retry.map((r) => r.ticketId) }), (_snapshot, ahead) => {
				ahead(retry);
				return { rows: [], overflowActive: {}, result: null };
			});
			expect((await l.list({ scope: 'support', limit: 500 })).rows).toHaveLength(201);
		} finally {
			await l.close();
		}
	});

	it('a group with a dimension this process has not seen yet is kept for the write: nothing leaves while deciding', async () => {
		const { ledger: l } = await ledger('aheadnew');
		try {
			await l.routeBatch('support', request(), () => ({ rows: [decision({ ticketId: 'first' })], overflowActive: {}, result: null }));
			const fresh: NewDelegation[] = [decision({ ticketId: 'new-0', topic: 'never seen' }), decision({ ticketId: 'new-1' })];
			const known = [decision({ ticketId: 'new-2' })];
			let writes = 0;
			let duringDecide = -1;
			await writesDuring(
				() =>
					l.routeBatch('support', request({ ticketIds: ['new-0', 'new-1', 'new-2'] }), (_snapshot, ahead) => {
						ahead(fresh);
						// Refused once, the batch sends nothing more ahead: the rows keep their order.
						ahead(known);
						duringDecide = writes;
						return { rows: [], overflowActive: {}, result: null };
					}),
				(n) => (writes = n),
			);
			expect(duringDecide).toBe(1);
			expect((await l.list({ scope: 'support', limit: 10 })).rows.map((r) => r.ticketId).sort()).toEqual(['first', 'new-0', 'new-1', 'new-2']);
			expect((await l.aggregate('support', 0, Number.MAX_SAFE_INTEGER)).find((g) => g.topic === 'never seen')?.count).toBe(1);
		} finally {
			await l.close();
		}
	});

	it('rows of many dimensions, interleaved, keep the batch’s order and each its own dimension’s fields', async () => {
		const { schema, ledger: l } = await ledger('dimorder');
		const combos = [
			['acme', 'email', 'en'],
			['globex', 'chat', 'de'],
			[null, 'phone', 'fr'],
			['initech', 'email', 'ja'],
			['acme', 'chat', 'en'],
			['globex', 'web', 'es'],
			[null, 'email', 'en'],
		] as const;
		// 7 combinations visited in a scrambled order (index 3i mod 7 then reversed every other lap), so neither the
		// dimension ids nor their first appearance follow the rows' order.
		const rows = Array.from({ length: 300 }, (_, i) => {
			const lap = Math.floor(i / 7);
			const k = (3 * i) % 7;
			const [vendor, channel, language] = combos[lap % 2 ? 6 - k : k];
			return decision({ ticketId: `order-${i}`, vendor, kind: vendor === null ? 'internal' : 'external', destination: vendor ?? 'team', channel, language });
		});
		const other = new Client(PG);
		await other.connect();
		try {
			await l.routeBatch('support', request(), () => ({ rows, overflowActive: {}, result: null }));
			const { rows: stored } = await other.query(
				`SELECT r.ticket_id, r.kind, r.vendor, r.channel, r.language, d.vendor AS dim_vendor, d.channel AS dim_channel
				FROM "${schema}".delegations r JOIN "${schema}".delegation_dimensions d ON d.id = r.dimension_id ORDER BY r.seq`,
			);
			expect(stored).toEqual(
				rows.map((r) => ({
					ticket_id: r.ticketId,
					kind: r.kind,
					vendor: r.vendor,
					channel: r.channel,
					language: r.language,
					dim_vendor: r.vendor,
					dim_channel: r.channel,
				})),
			);
		} finally {
			await other.end();
			await l.close();
		}
	});

	/**
	 * What the client had read from the server (bytes) at each of its writes while `run` runs, from the first write on:
	 * a batch whose writes all see the first write's count sent them all before any answer came, in one round trip.
	 */
	async function readAtWrites(run: () => Promise<unknown>): Promise<number[]> {
		const read: number[] = [];
		let batch: { socket: Socket; first: number } | null = null;
		await writesDuring(run, (_writes, socket) => {
			batch ??= { socket, first: socket.bytesRead };
			// One connection serves a batch: a write on another would be a second connection, which this must show.
			read.push(socket === batch.socket ? socket.bytesRead - batch.first : Number.NaN);
		});
		return read;
	}

	/** A plan of `rows`, noting the snapshot each call of decide was given. */
	function deciding(seen: LedgerSnapshot[], rows: (snapshot: LedgerSnapshot) => NewDelegation[]) {
		return (snapshot: LedgerSnapshot): BatchPlan<null> => {
			seen.push(snapshot);
			return { rows: rows(snapshot), overflowActive: {}, result: null };
		};
	}

	it('a batch deciding on its tickets alone is sent whole before any answer: BEGIN, the lock, the check, the rows, COMMIT', async () => {
		const { ledger: l } = await ledger('guess');
		try {
			await l.routeBatch('support', request({ ticketsOnly: true }), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const row = decision();
			const seen: LedgerSnapshot[] = [];
			const before = Date.now();
			const read = await readAtWrites(() => l.routeBatch('support', request({ ticketIds: [row.ticketId], ticketsOnly: true }), deciding(seen, () => [row])));
			// One write to the socket, nothing read before it: BEGIN, the lock, the check, the rows and COMMIT together.
			expect(read).toEqual([0]);
			expect(seen).toHaveLength(1);
			expect(seen[0].open).toEqual({});
			expect(seen[0].now).toBeGreaterThanOrEqual(before);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => d.id)).toEqual([row.id]);

			// The same batch without the flag waits for the snapshot before it writes: some answer is read in between.
			const plain = decision();
			const readPlain = await readAtWrites(() => l.routeBatch('support', request({ ticketIds: [plain.ticketId] }), deciding([], () => [plain])));
			expect(readPlain.at(-1)).toBeGreaterThan(0);
		} finally {
			await l.close();
		}
	});

	it('the guess missed (a ticket seen before): nothing of it is written, and the batch is decided again on what the ledger holds', async () => {
		const { schema, ledger: l } = await ledger('guessmiss');
		try {
			const first = decision();
			await l.routeBatch('support', request({ ticketIds: [first.ticketId] }), () => ({ rows: [first], overflowActive: {}, result: null }));
			// Open: the second decision keeps it (no row). The guessed row must never reach the ledger.
			const guessed = decision({ ticketId: first.ticketId });
			const seen: LedgerSnapshot[] = [];
			await l.routeBatch('support', request({ ticketIds: [first.ticketId], ticketsOnly: true }), deciding(seen, (s) => (s.open[first.ticketId] ? [] : [guessed])));
			expect(seen.map((s) => Object.keys(s.open))).toEqual([[], [first.ticketId]]);
			expect((await l.decisionsOf('support', first.ticketId)).map((d) => d.id)).toEqual([first.id]);

			// Finished (not open): decided anew, and the new decision supersedes the finished one as its ticket's head.
			await l.recordOutcomes('support', [{ ticketId: first.ticketId, update: { status: 'resolved' } }]);
			const anew = decision({ ticketId: first.ticketId });
			const seenAgain: LedgerSnapshot[] = [];
			await l.routeBatch('support', request({ ticketIds: [first.ticketId], ticketsOnly: true }), deciding(seenAgain, () => [anew]));
			expect(seenAgain).toHaveLength(2);
			const history = await l.decisionsOf('support', first.ticketId);
			expect(history.map((d) => d.id)).toEqual([first.id, anew.id]);
			const client = new Client(PG);
			await client.connect();
			try {
				const heads = await client.query(`SELECT id FROM "${schema}".delegations WHERE ticket_id = $1 AND head`, [first.ticketId]);
				expect(heads.rows.map((h) => h.id)).toEqual([anew.id]);
			} finally {
				await client.end();
			}
		} finally {
			await l.close();
		}
	});

	it('the guess missed while the credential is still being read: the batch is decided again at once, not once the read ends', async () => {
		const { ledger: l } = await ledger('guessearly');
		try {
			const first = decision();
			await l.routeBatch('support', request({ ticketIds: [first.ticketId] }), () => ({ rows: [first], overflowActive: {}, result: null }));
			let allow!: () => void;
			const credentialRead = new Promise<void>((resolve) => (allow = resolve));
			let allowedBy = '';
			// The read ends by itself after 5 s; the batch must not need it to: its second decide ends it first.
			const timer = setTimeout(() => {
				allowedBy ||= 'the read ending after 5 s';
				allow();
			}, 5_000);
			const seen: LedgerSnapshot[] = [];
			try {
				await l.routeBatch(
					'support',
					request({ ticketIds: [first.ticketId], ticketsOnly: true }),
					(snapshot) => {
						seen.push(snapshot);
						if (seen.length === 2) {
							allowedBy ||= 'the second decide';
							allow();
						}
						return { rows: snapshot.open[first.ticketId] ? [] : [decision({ ticketId: first.ticketId })], overflowActive: {}, result: null };
					},
					credentialRead,
				);
			} finally {
				clearTimeout(timer);
			}
			expect(allowedBy).toBe('the second decide');
			expect((await l.decisionsOf('support', first.ticketId)).map((d) => d.id)).toEqual([first.id]);
		} finally {
			await l.close();
		}
	});

	it('the guess missed (a decision stamped after this host’s clock, another host running ahead): the batch is stamped after it', async () => {
		const { ledger: l } = await ledger('guessclock');
		try {
			const ahead = Date.now() + HOUR;
			const early = decision({ decidedAt: ahead });
			await l.routeBatch('support', request({ now: ahead, ticketIds: [early.ticketId] }), () => ({ rows: [early], overflowActive: {}, result: null }));
			const seen: LedgerSnapshot[] = [];
			const row = decision();
			await l.routeBatch('support', request({ ticketIds: [row.ticketId], ticketsOnly: true }), deciding(seen, (s) => [{ ...row, decidedAt: s.now }]));
			expect(seen).toHaveLength(2);
			expect(seen[0].now).toBeLessThan(ahead);
			expect(seen[1].now).toBe(ahead);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => [d.id, d.decidedAt])).toEqual([[row.id, ahead]]);
		} finally {
			await l.close();
		}
	});

	it('two executions guess for the same new ticket at once: one records it, the other finds it', async () => {
		const { ledger: l } = await ledger('guessrace');
		try {
			await l.routeBatch('support', request({ ticketsOnly: true }), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const ticketId = `race-${Date.now()}`;
			const seen: LedgerSnapshot[][] = [[], []];
			const rows = [decision({ ticketId }), decision({ ticketId })];
			await Promise.all(
				[0, 1].map((k) => l.routeBatch('support', request({ ticketIds: [ticketId], ticketsOnly: true }), deciding(seen[k], (s) => (s.open[ticketId] ? [] : [rows[k]])))),
			);
			const recorded = (await l.decisionsOf('support', ticketId)).map((d) => d.id);
			expect(recorded).toHaveLength(1);
			// The one whose guess held decided once; the other decided twice, the second time on the recorded decision.
			const calls = seen.map((s) => s.length).sort();
			expect(calls).toEqual([1, 2]);
			const loser = seen.find((s) => s.length === 2)!;
			expect(loser[1].open[ticketId]?.id).toBe(recorded[0]);
		} finally {
			await l.close();
		}
	});

	it('a guessed batch whose credential moved meanwhile commits nothing', async () => {
		const { ledger: l } = await ledger('guessmoved');
		try {
			await l.routeBatch('support', request({ ticketsOnly: true }), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const row = decision();
			const moved = new Promise((_, reject) => setTimeout(() => reject(new Error('the credential leads elsewhere now')), 50));
			await expect(l.routeBatch('support', request({ ticketIds: [row.ticketId], ticketsOnly: true }), deciding([], () => [row]), moved)).rejects.toThrow(
				'the credential leads elsewhere now',
			);
			expect(await l.decisionsOf('support', row.ticketId)).toEqual([]);
		} finally {
			await l.close();
		}
	});
});
