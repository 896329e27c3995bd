import { Client, type Pool, type PoolConfig } from 'pg';
import { afterAll, describe, expect, it, vi } from 'vitest';

import { GENERIC_PLAN_TICKETS, PostgresLedger } from '../../ledger/postgres/postgres-ledger';
import { DEFAULT_POSTGRES_TIMEOUTS, poolConfig } from '../../ledger/postgres/timeouts';

import { ledgerContract } from './contract';
import { handoffContract } from './handoff-contract';
import { decision, request } from './fixtures';
import { dropSchemas, openPostgres, PG, postgresUnavailable, uniqueSchema } from './postgres';

const unavailable = postgresUnavailable();
const schemas: string[] = [];

describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	afterAll(() => dropSchemas(schemas));

	ledgerContract('postgres', async () => {
		const schema = uniqueSchema('contract');
		schemas.push(schema);
		return openPostgres(schema);
	});

	handoffContract('postgres', async () => {
		const schema = uniqueSchema('handoff');
		schemas.push(schema);
		return openPostgres(schema);
	});

	it('a dimension row deleted under the cache fails the next batch visibly and writes nothing; the batch after writes again, labelled', async () => {
		const schema = uniqueSchema('lostdim');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		const other = new Client(PG);
		await other.connect();
		const plan = (rows: ReturnType<typeof decision>[]) => () => ({ rows, overflowActive: {}, result: rows.length });
		try {
			const first = decision({ ticketId: 'dim-1', vendor: 'acme', channel: 'chat' });
			await ledger.routeBatch('support', request(), plan([first]));
			// Someone cleans the table by hand; this process still holds the dimension's id.
			expect((await other.query(`DELETE FROM "${schema}".delegation_dimensions`)).rowCount).toBe(1);

			const second = decision({ ticketId: 'dim-2', vendor: 'acme', channel: 'chat' });
			await expect(ledger.routeBatch('support', request(), plan([second]))).rejects.toMatchObject({ code: '23502', column: 'kind' });
			expect((await other.query(`SELECT ticket_id FROM "${schema}".delegations ORDER BY ticket_id`)).rows).toEqual([{ ticket_id: 'dim-1' }]);

			const third = decision({ ticketId: 'dim-3', vendor: 'acme', channel: 'chat' });
			await ledger.routeBatch('support', request(), plan([third]));
			const [row] = await ledger.decisionsOf('support', 'dim-3');
			expect(row).toMatchObject({ kind: 'external', vendor: 'acme', channel: 'chat', reason: third.reason, topic: third.topic, language: third.language });
			// Its dimension exists again, so reports label its rows.
			const { rows } = await other.query(
				`SELECT d.vendor, d.channel FROM "${schema}".delegations r JOIN "${schema}".delegation_dimensions d ON d.id = r.dimension_id WHERE r.ticket_id = 'dim-3'`,
			);
			expect(rows).toEqual([{ vendor: 'acme', channel: 'chat' }]);
		} finally {
			await other.end();
			await ledger.close();
		}
	});

	/** The PostgreSQL session of the batch that holds the scope's advisory lock, and whether it has inserted into `delegations`. */
	async function batchSession(other: Client, schema: string) {
		const { rows } = await other.query(
			`SELECT l.pid, EXISTS (SELECT 1 FROM pg_locks w WHERE w.pid = l.pid AND w.relation = $2::regclass AND w.mode = 'RowExclusiveLock') AS inserted
			FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted AND l.objid = (hashtextextended($1, 0) & 4294967295)::oid`,
			[`support-delegation:${schema}:support`, `"${schema}".delegations`],
		);
		return rows as Array<{ pid: number; inserted: boolean }>;
	}

	it('reads, decides and sends the writes while mayWrite is pending, holding the scope lock, and commits only once it resolves', async () => {
		const schema = uniqueSchema('maywrite');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		const other = new Client(PG);
		await other.connect();
		let allow = () => {};
		const gate = new Promise<void>((resolve) => (allow = resolve));
		try {
			let decided = false;
			const row = decision({ ticketId: 'overlapped' });
			const batch = ledger.routeBatch(
				'support',
				request(),
				() => {
					decided = true;
					return { rows: [row], overflowActive: {}, result: null };
				},
				gate,
			);
			await vi.waitFor(() => expect(decided).toBe(true));
			// The rows went out before the gate opened: the batch's session has inserted (only an INSERT, UPDATE or DELETE
			// takes RowExclusiveLock), and it holds the scope's lock, so another session cannot take it.
			await vi.waitFor(async () => expect(await batchSession(other, schema)).toEqual([{ pid: expect.any(Number), inserted: true }]));
			const { rows } = await other.query(`SELECT pg_try_advisory_lock(hashtextextended($1, 0)) AS got`, [`support-delegation:${schema}:support`]);
			expect(rows[0].got).toBe(false);
			// Uncommitted: no one else sees it yet.
			expect((await other.query(`SELECT count(*)::int AS n FROM "${schema}".delegations`)).rows).toEqual([{ n: 0 }]);
			allow();
			await batch;
			expect(await ledger.decisionsOf('support', 'overlapped')).toMatchObject([{ id: row.id }]);
		} finally {
			// A failed assertion must not leave the batch holding its connection, which would hang close().
			allow();
			await other.end();
			await ledger.close();
		}
	});

	it('rolls back writes already sent when mayWrite rejects: nothing is committed, the ticket stays free, the ledger usable', async () => {
		const schema = uniqueSchema('moved');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		const other = new Client(PG);
		await other.connect();
		let refuse: (reason: Error) => void = () => {};
		const gate = new Promise<void>((_, reject) => (refuse = reject));
		try {
			const batch = ledger.routeBatch('support', request(), () => ({ rows: [decision({ ticketId: 'moved' })], overflowActive: {}, result: null }), gate);
			batch.catch(() => undefined);
			// The fault lands after the writes went out, not before.
			await vi.waitFor(async () => expect(await batchSession(other, schema)).toEqual([{ pid: expect.any(Number), inserted: true }]));
			refuse(new Error('the credential leads elsewhere now'));
			await expect(batch).rejects.toThrow('the credential leads elsewhere now');
			for (const table of ['delegations', 'delegation_rollup', 'delegation_vendor_tens', 'delegation_vendor_hours', 'delegation_vendor_days', 'overflow_state']) {
				expect((await other.query(`SELECT count(*)::int AS n FROM "${schema}".${table}`)).rows, table).toEqual([{ n: 0 }]);
			}
			expect(await batchSession(other, schema)).toEqual([]);
			// Its ticket is not held by a half-done row: the same ticket is recorded by the next batch.
			const again = decision({ ticketId: 'moved' });
			await ledger.routeBatch('support', request({ ticketIds: ['moved'] }), () => ({ rows: [again], overflowActive: {}, result: null }));
			expect(await ledger.decisionsOf('support', 'moved')).toMatchObject([{ id: again.id }]);
		} finally {
			refuse(new Error('test over'));
			await other.end();
			await ledger.close();
		}
	});

	it('records a lone UTF-16 surrogate in a ticket field as U+FFFD, as the driver encodes any text parameter', async () => {
		const schema = uniqueSchema('surrogate');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		try {
			// '\ud800' alone is no character: UTF-8 has no encoding for it, so it becomes U+FFFD; the pair '\ud83c\udfab' is 🎫.
			// Both ways a column travels: ticket ids differ (a JSON array), the matched terms are the batch's one value.
			const row = decision({ ticketId: 'lone-\ud800', matched: 'x\udc00y 🎫 \ud83c\udfab' });
			const other = decision({ ticketId: 'other', matched: row.matched });
			await ledger.routeBatch('support', request({ ticketIds: [row.ticketId, other.ticketId] }), () => ({ rows: [row, other], overflowActive: {}, result: null }));
			expect(await ledger.decisionsOf('support', 'lone-\ufffd')).toMatchObject([{ id: row.id, ticketId: 'lone-\ufffd', matched: 'x\ufffdy 🎫 🎫' }]);
			expect(await ledger.decisionsOf('support', 'other')).toMatchObject([{ id: other.id, matched: 'x\ufffdy 🎫 🎫' }]);
		} finally {
			await ledger.close();
		}
	});

	it("a snapshot of a few tickets runs the plan its connection made once; the batch's other statements, and a larger snapshot, PostgreSQL's choice", async () => {
		const schema = uniqueSchema('plans');
		schemas.push(schema);
		const ledger = await openPostgres(schema);
		// Sequential batches share the pool's one idle connection, whose prepared statements these are.
		const pool = (ledger as unknown as { pool: Pool }).pool;
		const plans = async () => {
			const { rows } = await pool.query<{ name: string; generic: number; custom: number }>(
				`SELECT name, generic_plans::int AS generic, custom_plans::int AS custom FROM pg_prepared_statements WHERE name LIKE 'sd\\_%'`,
			);
			const sum = (list: typeof rows) => ({ generic: list.reduce((n, r) => n + r.generic, 0), custom: list.reduce((n, r) => n + r.custom, 0) });
			const isSnapshot = (r: { name: string }) => r.name.startsWith('sd_snapshot_');
			return { snapshot: sum(rows.filter(isSnapshot)), others: sum(rows.filter((r) => !isSnapshot(r))) };
		};
		const batch = (count: number) => {
			const rows = Array.from({ length: count }, () => decision());
			return ledger.routeBatch('support', request({ ticketIds: rows.map((r) => r.ticketId) }), () => ({ rows, overflowActive: {}, result: null }));
		};
		try {
			for (let i = 0; i < 3; i++) await batch(1);
			// Left to itself PostgreSQL makes a custom plan at each of a statement's first five executions: the other
			// statements show it, the snapshot's plans were all the generic one.
			let seen = await plans();
			expect(seen.snapshot).toEqual({ generic: 3, custom: 0 });
			expect(seen.others.generic).toBe(0);
			expect(seen.others.custom).toBeGreaterThanOrEqual(3);
			await batch(GENERIC_PLAN_TICKETS);
			expect((await plans()).snapshot).toEqual({ generic: 4, custom: 0 });
			await batch(GENERIC_PLAN_TICKETS + 1);
			seen = await plans();
			expect(seen.snapshot).toEqual({ generic: 4, custom: 1 });
			expect(seen.others.generic).toBe(0);
			// The pin ends with the snapshot's transaction: a plain query on the connection afterwards sees the default.
			expect((await pool.query(`SELECT current_setting('plan_cache_mode') AS mode`)).rows[0].mode).toBe('auto');
			expect((await ledger.list({ scope: 'support', limit: 1_000 })).rows).toHaveLength(3 + GENERIC_PLAN_TICKETS + GENERIC_PLAN_TICKETS + 1);
		} finally {
			await ledger.close();
		}
	});

	it('ledger connections run without JIT compilation, keeping options of the connection settings', async () => {
		// A generic plan over a large ledger is estimated above jit_above_cost: JIT-compiling it took 15-50 ms per execution.
		const client = new Client(poolConfig({ ...PG, options: '-c application_name=sd-jit-check' }, DEFAULT_POSTGRES_TIMEOUTS));
		await client.connect();
		try {
			const { rows } = await client.query(`SELECT current_setting('jit') AS jit, current_setting('application_name') AS app`);
			expect(rows[0]).toEqual({ jit: 'off', app: 'sd-jit-check' });
		} finally {
			await client.end();
		}
	});

	/** A ledger whose connections carry an application name of their own, and a connection to watch them from. */
	async function watchedLedger(label: string, connection: PoolConfig = {}) {
		const schema = uniqueSchema(label);
		schemas.push(schema);
		const app = `sd-${label}-${process.pid}`;
		const ledger = await PostgresLedger.open({ connection: { ...PG, options: `-c application_name=${app}`, ...connection }, schema });
		const observer = new Client(PG);
		await observer.connect();
		return {
			ledger,
			/** The server processes of the ledger's open connections. */
			sessions: async () =>
				(await observer.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 ORDER BY pid`, [app])).rows.map((r) => r.pid),
			/** The server ends them all (a restart, an administrator, idle_session_timeout). */
			endSessions: () => observer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [app]),
			route: (scope: string, ticketId: string) =>
				ledger.routeBatch(scope, request({ ticketIds: [ticketId] }), () => ({ rows: [decision({ scope, ticketId, id: ticketId })], overflowActive: {}, result: null })),
			close: async () => {
				await observer.end();
				await ledger.close();
			},
		};
	}

	it('keeps one connection open while the ledger sits idle, and closes the others once idle', async () => {
		// The idle timeout of the connection settings (30 s by default) shortened, so the test waits it out quickly.
		const { sessions, route, close } = await watchedLedger('idle', { idleTimeoutMillis: 200 });
		try {
			// Three batches of three scopes at once: three connections.
			await Promise.all(['a', 'b', 'c'].map((scope) => route(scope, `${scope}-1`)));
			expect(await sessions()).toHaveLength(3);
			await new Promise((resolve) => setTimeout(resolve, 1_000));
			const kept = await sessions();
			expect(kept).toHaveLength(1);
			// The next execution runs on the connection that stayed open: no new server process.
			await route('a', 'a-2');
			expect(await sessions()).toEqual(kept);
		} finally {
			await close();
		}
	});

	it('a kept connection the server ended just before an execution: the batch runs on another one, recorded once', async () => {
		const { ledger, endSessions, route, close } = await watchedLedger('ended');
		const pool = (ledger as unknown as { pool: Pool }).pool;
		try {
			let handedOutEnded = 0;
			for (let round = 0; round < 10; round++) {
				await route('s', `warm-${round}`);
				// The next execution starts at once, before the client has read the server's notice on its socket.
				await endSessions();
				const connect = vi.spyOn(pool, 'connect');
				await route('s', `after-${round}`);
				// Two checkouts: the first was handed the ended connection.
				if (connect.mock.calls.length === 2) handedOutEnded++;
				connect.mockRestore();
				expect((await ledger.decisionsOf('s', `after-${round}`)).map((d) => d.id)).toEqual([`after-${round}`]);
			}
			// The fault landed (the ended connection was handed out and failed at BEGIN), and never failed a batch.
			expect(handedOutEnded).toBeGreaterThan(0);
		} finally {
			await close();
		}
	});
});
