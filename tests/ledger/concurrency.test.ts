import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

import { Client } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import type { DelegationRecord } from '../../ledger/model';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';
import { compiledLedger, runAll, startWriter, type Writer } from './processes';

const WRITERS = 8;
const CAP = 60;

interface Backend {
	/** Opens the ledger in this process (creating and migrating it) and says how children reach it. */
	create(): Promise<{ ledger: Ledger; task: Record<string, unknown> }>;
	/** Seen from outside the writer: does some process hold a write transaction open on this ledger right now? */
	transactionOpen(task: Record<string, unknown>): Promise<boolean>;
}

async function allRows(ledger: Ledger): Promise<DelegationRecord[]> {
	return (await ledger.list({ scope: 'support', limit: 1_000_000 })).rows;
}

function suite(name: string, backend: Backend) {
	describe(`${name}: separate processes`, () => {
		let dist: string;
		beforeAll(() => {
			dist = compiledLedger();
		});

		it(`${WRITERS} concurrent writers never record more than the cap for a vendor`, async () => {
			const { ledger, task } = await backend.create();
			const startAt = Date.now() + 1500;
			const writers = Array.from({ length: WRITERS }, () =>
				startWriter(dist, { ...task, mode: 'cap', cap: CAP, batches: 4, batchSize: 25, startAt }),
			);
			const reports = await runAll(writers);
			const rows = await allRows(ledger);
			expect(rows).toHaveLength(WRITERS * 4 * 25);
			expect(rows.filter((r) => r.vendor === 'acme')).toHaveLength(CAP);
			// What the writers were told they routed to acme is what the ledger holds.
			expect(reports.reduce((n, r) => n + Number(r.toAcme), 0)).toBe(CAP);
			expect((await ledger.aggregate('support', 0, Date.now() + 1)).find((g) => g.vendor === 'acme')?.count).toBe(CAP);
			await ledger.close();
		});

		it('the same ticket routed by several processes at once is recorded once', async () => {
			const { ledger, task } = await backend.create();
			const startAt = Date.now() + 1500;
			const writers = Array.from({ length: WRITERS }, () =>
				startWriter(dist, { ...task, mode: 'same-ticket', ticketId: 'T-same', startAt }),
			);
			const reports = await runAll(writers);
			expect(reports.filter((r) => r.wrote === true)).toHaveLength(1);
			expect(await ledger.decisionsOf('support', 'T-same')).toHaveLength(1);
			await ledger.close();
		});

		it('a process killed while its transaction is open (checked from outside) commits nothing of that batch', async () => {
			const { ledger, task } = await backend.create();
			const writer = startWriter(dist, { ...task, mode: 'crash', label: 'held', batchSize: 500, startAt: 0, holdAt: 2 });
			await writer.waitFor((m) => m.holding === 'held-2');
			expect(await backend.transactionOpen(task), 'the writer holds an open write transaction when the kill lands').toBe(true);
			writer.child.kill('SIGKILL');
			await writer.exited;
			// PostgreSQL notices the closed socket a moment later; nothing may stay open for long.
			const deadline = Date.now() + 10_000;
			while ((await backend.transactionOpen(task)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
			expect(await backend.transactionOpen(task), 'the kill released it').toBe(false);
			const perBatch = new Map<string, number>();
			for (const r of await allRows(ledger)) perBatch.set(r.executionId!, (perBatch.get(r.executionId!) ?? 0) + 1);
			expect(Object.fromEntries(perBatch)).toEqual({ 'held-0': 500, 'held-1': 500 });
			// The next writer is not blocked by anything the dead one left behind.
			await ledger.routeBatch('support', { now: Date.now(), ticketIds: [], vendors: [], internalWindowMs: 1, shareWindowMs: 1, monthStart: 0 }, () => ({
				rows: [],
				overflowActive: {},
				result: null,
			}));
			await ledger.close();
		});

		it('a process killed with SIGKILL mid-batch leaves no partial batch, and every committed batch whole', async () => {
			const { ledger, task } = await backend.create();
			const batchSize = 3000;
			const committed = new Set<string>();
			for (let round = 0; round < 3; round++) {
				const writer: Writer = startWriter(dist, { ...task, mode: 'crash', label: `r${round}`, batchSize, startAt: 0 });
				// Let a few batches commit, then kill inside a transaction: in the first round as soon as the batch has handed
				// rows ahead of its write (on PostgreSQL they are on the server then), later shortly after one begins.
				await writer.waitFor((m) => m.committed === `r${round}-1`);
				if (round === 0) await writer.waitFor((m) => m.handed === `r${round}-3`);
				else await writer.waitFor((m) => m.begin === `r${round}-3`);
				await new Promise((r) => setTimeout(r, round === 0 ? 0 : 2 + round * 6));
				writer.child.kill('SIGKILL');
				await writer.exited;
				// The server may still be running what the dead writer had sent: with its writes and COMMIT already sent
				// (pipelined), that batch commits whole a moment later, without the writer. Read once nothing is in flight.
				const deadline = Date.now() + 10_000;
				while ((await backend.transactionOpen(task)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
				expect(await backend.transactionOpen(task), 'the kill left nothing running').toBe(false);
				for (const m of writer.messages) if (typeof m.committed === 'string') committed.add(m.committed);
				// The first kill landed where it should: rows handed ahead, the batch not committed.
				if (round === 0) expect(committed.has('r0-3'), 'the batch killed after handing rows ahead had committed').toBe(false);
			}
			const perBatch = new Map<string, number>();
			for (const r of await allRows(ledger)) perBatch.set(r.executionId!, (perBatch.get(r.executionId!) ?? 0) + 1);
			for (const [batch, count] of perBatch) expect(count, batch).toBe(batchSize);
			for (const batch of committed) expect(perBatch.get(batch), batch).toBe(batchSize);
			// Rollups agree with the rows: nothing half-counted either.
			const total = (await ledger.aggregate('support', 0, Date.now() + 1)).reduce((n, g) => n + g.count, 0);
			expect(total).toBe(perBatch.size * batchSize);
			await ledger.close();
		});
	});
}

const folder = mkdtempSync(join(tmpdir(), 'sd-ledger-procs-'));
let files = 0;
suite('SQLite', {
	async create() {
		const file = join(folder, `shared-${++files}.sqlite`);
		return { ledger: await SqliteLedger.open(file), task: { backend: 'sqlite', file } };
	},
	async transactionOpen(task) {
		// SQLite allows one writer: a BEGIN IMMEDIATE that may not wait fails exactly while another holds one.
		const probe = new DatabaseSync(task.file as string);
		try {
			probe.exec('PRAGMA busy_timeout = 0');
			probe.exec('BEGIN IMMEDIATE');
			probe.exec('ROLLBACK');
			return false;
		} catch (error) {
			if (/locked|busy/i.test(String(error))) return true;
			throw error;
		} finally {
			probe.close();
		}
	},
});

const unavailable = postgresUnavailable();
const schemas: string[] = [];
describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	afterAll(() => dropSchemas(schemas));
	suite('PostgreSQL', {
		async create() {
			const schema = uniqueSchema('procs');
			schemas.push(schema);
			return { ledger: await openPostgres(schema), task: { backend: 'postgres', pg: PG, schema } };
		},
		async transactionOpen(task) {
			// A backend of another process inside a transaction whose last statement read this ledger's schema.
			const client = new Client(PG);
			await client.connect();
			try {
				const { rows } = await client.query(
					`SELECT count(*)::int AS n FROM pg_stat_activity
					 WHERE pid <> pg_backend_pid() AND xact_start IS NOT NULL AND position($1 in query) > 0`,
					[`"${task.schema as string}"`],
				);
				return rows[0].n > 0;
			} finally {
				await client.end();
			}
		},
	});
});
