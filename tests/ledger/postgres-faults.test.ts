import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LedgerUnavailableError } from '../../ledger/errors';
import { PostgresLedger } from '../../ledger/postgres/postgres-ledger';
import type { PostgresTimeouts } from '../../ledger/postgres/timeouts';
import { decision, request } from './fixtures';
import { PG, dropSchemas, postgresUnavailable, uniqueSchema } from './postgres';
import { FaultProxy } from './tcp-proxy';

/**
 * The network between the ledger and PostgreSQL breaks mid-transaction (a TCP proxy in this test, loopback only):
 * each fault ends within its configured limit with a clear "unavailable" error, never an uncaught exception; the
 * batch is all or nothing; once the fault clears the next execution succeeds, and sending the same tickets again
 * records none twice.
 */

const unavailable = postgresUnavailable();
/** Small limits so each case takes a second or two; the margin absorbs this shared machine's load. */
const LIMITS: PostgresTimeouts = { connectMs: 1_000, lockWaitMs: 1_000, statementMs: 1_000, idleInTransactionMs: 2_000 };
const MARGIN_MS = 2_000;
/** For the cases that leave a session behind on the server: it outlives the client's own limit (2 s) for sure. */
const STRANDED: PostgresTimeouts = { ...LIMITS, idleInTransactionMs: 5_000 };
/** Lock Wait shorter than Statement Timeout, so the lock limit is the one that runs out. */
const LOCK_BOUND: PostgresTimeouts = { ...LIMITS, statementMs: 5_000 };
const APP = `sd-faults-${process.pid}`;

const uncaught: unknown[] = [];
const onUncaught = (error: unknown) => uncaught.push(error);

/** Records a decision for each ticket that has no open one, as the router does; returns what it did per ticket. */
async function route(ledger: PostgresLedger, scope: string, ticketIds: string[]) {
	return await ledger.routeBatch(scope, request({ ticketIds }), (snapshot) => {
		const rows = ticketIds.filter((t) => !snapshot.open[t]).map((ticketId) => decision({ scope, ticketId }));
		return { rows, overflowActive: {}, result: ticketIds.map((t) => (snapshot.open[t] ? 'existing' : 'recorded')) };
	});
}

async function timed<T>(promise: Promise<T>): Promise<{ error: unknown; ms: number }> {
	const started = performance.now();
	const error = await promise.then(
		() => null,
		(e: unknown) => e,
	);
	return { error, ms: performance.now() - started };
}

describe.skipIf(unavailable !== null)('PostgreSQL ledger behind a failing network', () => {
	const schema = uniqueSchema('faults');
	let proxy: FaultProxy;
	let admin: Client;
	const ledgers: PostgresLedger[] = [];
	let scopes = 0;

	const open = async (port: number, timeouts: Partial<PostgresTimeouts> = LIMITS) => {
		const ledger = await PostgresLedger.open({
			connection: { ...PG, host: '127.0.0.1', port, application_name: APP },
			schema,
			timeouts,
		});
		ledgers.push(ledger);
		return ledger;
	};
	const viaProxy = () => open(proxy.port);
	const direct = () => open(Number(PG.port));
	const rows = async (scope: string) =>
		(await admin.query<{ ticket_id: string }>(`SELECT ticket_id FROM "${schema}".delegations WHERE scope = $1 ORDER BY ticket_id`, [scope])).rows.map(
			(r) => r.ticket_id,
		);
	/** Server sessions of this test's ledgers, by state. */
	const sessions = async () =>
		(await admin.query<{ pid: number; state: string }>(`SELECT pid, state FROM pg_stat_activity WHERE application_name = $1`, [APP])).rows;
	const tickets = (scope: string, n: number) => Array.from({ length: n }, (_, i) => `${scope}-T${i}`);

	beforeAll(async () => {
		process.on('uncaughtException', onUncaught);
		proxy = new FaultProxy({ host: String(PG.host), port: Number(PG.port) });
		await proxy.start();
		admin = new Client(PG);
		await admin.connect();
		// The schema exists before any fault, so every case below starts from an opened ledger.
		await direct();
	});

	afterAll(async () => {
		process.off('uncaughtException', onUncaught);
		for (const ledger of ledgers) await ledger.close();
		await proxy.close();
		await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [APP]);
		await admin.end();
		await dropSchemas([schema]);
		expect(uncaught).toEqual([]);
	});

	it('a server unreachable at connect: fails within Connect Timeout, opens once the network is back', async () => {
		proxy.faultNewConnections('blackhole');
		const { error, ms } = await timed(viaProxy());
		expect(error).toBeInstanceOf(LedgerUnavailableError);
		expect((error as Error).message).toMatch(new RegExp(`^The PostgreSQL delegation ledger at 127\\.0\\.0\\.1:${proxy.port}/${PG.database} is unavailable: no connection within Connect Timeout \\(1 s\\)`));
		expect(ms).toBeLessThan(LIMITS.connectMs + MARGIN_MS);
		proxy.clear();
		const ledger = await viaProxy();
		const scope = `connect-${++scopes}`;
		expect(await route(ledger, scope, tickets(scope, 3))).toEqual(['recorded', 'recorded', 'recorded']);
	});

	it('stalled mid-transaction (the batch INSERT never arrives): fails within Statement Timeout + 1 s, writes nothing; the stranded session is ended by the server and the next execution succeeds', async () => {
		// A server-side idle limit longer than the client's, so the stranded session is surely there when the client gives up.
		const ledger = await open(proxy.port, STRANDED);
		const scope = `stall-${++scopes}`;
		const batch = tickets(scope, 5);
		proxy.arm({ on: `INSERT INTO "${schema}".delegations`, fault: 'stall', forward: false });
		const { error, ms } = await timed(route(ledger, scope, batch));
		// The fault landed mid-transaction: after BEGIN and the scope's lock, on the batch's INSERT.
		const landed = proxy.landed.at(-1)!;
		expect(landed.fault).toBe('stall');
		expect(landed.before).toContain('BEGIN ISOLATION LEVEL READ COMMITTED');
		expect(landed.before).toContain('pg_advisory_xact_lock');
		expect(landed.message).toContain(`INSERT INTO "${schema}".delegations`);
		expect(error).toBeInstanceOf(LedgerUnavailableError);
		expect((error as Error).message).toMatch(/unavailable: the server did not answer within Statement Timeout \(1 s\) \+ 1 s; the connection was dropped$/);
		expect(ms).toBeGreaterThanOrEqual(LIMITS.statementMs);
		expect(ms).toBeLessThan(LIMITS.statementMs + 1_000 + MARGIN_MS);

		// The server still holds that session, idle in its transaction with the scope's lock, until Idle in
		// Transaction Timeout ends it; then the lock is free again.
		expect((await sessions()).filter((x) => x.state === 'idle in transaction')).toHaveLength(1);
		await expect.poll(sessions, { timeout: STRANDED.idleInTransactionMs + MARGIN_MS, interval: 100 }).not.toContainEqual(
			expect.objectContaining({ state: 'idle in transaction' }),
		);
		proxy.clear();
		expect(await rows(scope)).toEqual([]);
		expect(await route(ledger, scope, batch)).toEqual(batch.map(() => 'recorded'));
		expect(await rows(scope)).toEqual([...batch].sort());
	});

	it('black-holed mid-transaction: fails within its limit; until the server ends the stranded session, the scope lock wait is bounded by Lock Wait; then every ticket is recorded once', async () => {
		const ledger = await open(proxy.port, STRANDED);
		const scope = `blackhole-${++scopes}`;
		const batch = tickets(scope, 4);
		proxy.arm({ on: `INSERT INTO "${schema}".delegations`, fault: 'blackhole', forward: false });
		const { error, ms } = await timed(route(ledger, scope, batch));
		expect(proxy.landed.at(-1)).toMatchObject({ fault: 'blackhole', forwarded: false });
		expect(proxy.landed.at(-1)!.before).toContain('pg_advisory_xact_lock');
		expect((error as Error).message).toMatch(/did not answer within Statement Timeout/);
		expect(ms).toBeLessThan(LIMITS.statementMs + 1_000 + MARGIN_MS);

		// Another worker, reaching PostgreSQL directly, meets the lock the vanished session still holds, and gives up
		// at Lock Wait instead of waiting forever...
		const other = await open(Number(PG.port), LOCK_BOUND);
		expect((await sessions()).filter((x) => x.state === 'idle in transaction')).toHaveLength(1);
		const blocked = await timed(route(other, scope, batch));
		expect((blocked.error as Error).message).toMatch(new RegExp(`policy scope "${scope}" stayed locked for Lock Wait \\(1 s\\)`));
		expect(blocked.ms).toBeLessThan(LIMITS.lockWaitMs + MARGIN_MS);
		// ...and once the server has ended it (Idle in Transaction Timeout), it records the batch.
		await expect.poll(sessions, { timeout: STRANDED.idleInTransactionMs + MARGIN_MS, interval: 100 }).not.toContainEqual(
			expect.objectContaining({ state: 'idle in transaction' }),
		);
		expect(await route(other, scope, batch)).toEqual(batch.map(() => 'recorded'));
		proxy.clear();
		// The ledger whose connection vanished dropped it, and works through the healed network: the same tickets are
		// found, not recorded twice.
		expect(await route(ledger, scope, batch)).toEqual(batch.map(() => 'existing'));
		expect(await rows(scope)).toEqual([...batch].sort());
	});

	it('cut after the INSERT ran (before COMMIT): a clear error, no uncaught exception, the server rolls the batch back; the next execution records it', async () => {
		const ledger = await viaProxy();
		const scope = `cut-${++scopes}`;
		const batch = tickets(scope, 6);
		proxy.arm({ on: `INSERT INTO "${schema}".delegations`, fault: 'cut', forward: true });
		const { error, ms } = await timed(route(ledger, scope, batch));
		expect(proxy.landed.at(-1)).toMatchObject({ fault: 'cut', forwarded: true, answered: true });
		expect(error).toBeInstanceOf(LedgerUnavailableError);
		expect((error as Error).message).toMatch(/unavailable: Connection terminated unexpectedly/);
		expect(ms).toBeLessThan(MARGIN_MS);
		await expect.poll(() => rows(scope)).toEqual([]);
		expect(await route(ledger, scope, batch)).toEqual(batch.map(() => 'recorded'));
		expect(await rows(scope)).toEqual([...batch].sort());
	});

	it('cut after COMMIT reached the server (the answer is lost): reported unavailable, yet the batch stands once; sending it again records none twice', async () => {
		const ledger = await viaProxy();
		const scope = `commit-${++scopes}`;
		const batch = tickets(scope, 3);
		// The COMMIT query message itself (its text ends with NUL), not "READ COMMITTED" in the BEGIN.
		proxy.arm({ on: 'COMMIT\u0000', fault: 'cut', forward: true });
		const { error } = await timed(route(ledger, scope, batch));
		expect(proxy.landed.at(-1)).toMatchObject({ fault: 'cut', forwarded: true, answered: true });
		expect(proxy.landed.at(-1)!.before).toContain(`INSERT INTO "${schema}".delegations`);
		expect(error).toBeInstanceOf(LedgerUnavailableError);
		expect(await rows(scope)).toEqual([...batch].sort());
		expect(await route(ledger, scope, batch)).toEqual(batch.map(() => 'existing'));
		expect(await rows(scope)).toEqual([...batch].sort());
	});

	it('the scope lock held by another connection: bounded by Lock Wait, and by Statement Timeout when that is shorter', async () => {
		const scope = `locked-${++scopes}`;
		const holder = new Client(PG);
		await holder.connect();
		try {
			await holder.query('BEGIN');
			await holder.query('SELECT pg_advisory_xact_lock(hashtextextended($1, 0))', [`support-delegation:${schema}:${scope}`]);
			const byLock = await timed(route(await open(Number(PG.port), LOCK_BOUND), scope, tickets(scope, 2)));
			expect((byLock.error as Error).message).toMatch(new RegExp(`policy scope "${scope}" stayed locked for Lock Wait \\(1 s\\)`));
			expect(byLock.ms).toBeGreaterThanOrEqual(LIMITS.lockWaitMs);
			expect(byLock.ms).toBeLessThan(LIMITS.lockWaitMs + MARGIN_MS);
			const byStatement = await timed(route(await open(Number(PG.port), { ...LIMITS, lockWaitMs: 30_000 }), scope, tickets(scope, 2)));
			expect((byStatement.error as Error).message).toMatch(/a statement ran longer than Statement Timeout \(1 s\): canceling statement due to statement timeout/);
			expect(byStatement.ms).toBeLessThan(LIMITS.statementMs + MARGIN_MS);
		} finally {
			await holder.query('ROLLBACK');
			await holder.end();
		}
		expect(await rows(scope)).toEqual([]);
		expect(await route(await direct(), scope, tickets(scope, 2))).toEqual(['recorded', 'recorded']);
	});
});
