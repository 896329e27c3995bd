import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { ICredentialDataDecryptedObject, IDataObject, IWorkflowBase } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { runWorkflow } from '../harness/workflow';
import byKind from '../workflows/fixtures/router-by-kind.json';
import { decision, random, request } from './fixtures';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/**
 * Poison tickets in mixed batches, through the Ticket Router node on both ledgers: one bad ticket used to fail a
 * whole PostgreSQL batch (10 KB id or category: "index row requires 10064 bytes"; a NUL: "invalid byte sequence").
 */

const ROUTER = 'Ticket Router';
const folder = mkdtempSync(join(tmpdir(), 'sd-poison-'));
let scopes = 0;

const good = (id: string): IDataObject => ({ id, subject: 'Chargeback on my card', category: 'billing', customer: { region: 'eu' } });

/** Item index → the payload and the error the router must give it (worked out from the limits, not from a run). */
const BATCH: Array<{ payload: IDataObject; error?: string }> = [
	{ payload: good('G-1') },
	{ payload: { id: 'x'.repeat(10_240), subject: 'refund' }, error: 'Item 1: ticket id at "id" is 10240 characters long (at most 255)' },
	{ payload: good('G-2') },
	{ payload: { id: 'P-category', category: 'c'.repeat(10_240) }, error: 'Item 3: ticket category at "category" is 10240 characters long (at most 100)' },
	{ payload: { id: 'P\u0000nul' }, error: 'Item 4: ticket id at "id" contains a control character (U+0000) at position 1' },
	{ payload: good('G-3') },
	{ payload: { id: 'P-channel', channel: 'e\u0007mail' }, error: 'Item 6: ticket channel at "channel" contains a control character (U+0007) at position 1' },
	{ payload: { id: 'P-\ud800' }, error: 'Item 7: ticket id at "id" contains a lone surrogate (U+D800), not valid Unicode text at position 2' },
	{ payload: { id: 'P-language', language: 'en\u0000' }, error: 'Item 8: ticket language at "language" contains a control character (U+0000) at position 2' },
	{ payload: good('G-4') },
	{ payload: good('G-5') },
];
const GOOD_IDS = ['G-1', 'G-2', 'G-3', 'G-4', 'G-5'];

interface Backend {
	parameters: IDataObject;
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	open(): Promise<Ledger>;
}

function routerWorkflow(backend: Backend, scope: string, continueOnFail: boolean) {
	const workflow = structuredClone(byKind) as unknown as IWorkflowBase;
	const node = workflow.nodes.find((n) => n.name === ROUTER)!;
	const policy = JSON.parse(node.parameters.policyJson as string);
	policy.scope = scope;
	node.parameters = { ...node.parameters, policyJson: JSON.stringify(policy), ...backend.parameters };
	if (backend.credentials) node.credentials = { postgres: { id: 'pg-ledger', name: 'Ledger database' } };
	if (continueOnFail) node.onError = 'continueRegularOutput';
	return workflow;
}

async function recordedTickets(backend: Backend, scope: string): Promise<string[]> {
	const ledger = await backend.open();
	try {
		return (await ledger.list({ scope, limit: 1000 })).rows.map((r) => r.ticketId).sort();
	} finally {
		await ledger.close();
	}
}

function poisonSuite(name: string, backend: () => Backend) {
	describe(`${name}: poison tickets in a mixed batch, through the Ticket Router node`, () => {
		it('records the good tickets once and gives each bad one its own error naming the item and field (Continue On Fail)', async () => {
			const scope = `poison-${process.pid}-${++scopes}`;
			const b = backend();
			const run = await runWorkflow(routerWorkflow(b, scope, true), { items: BATCH.map((t) => t.payload), credentials: b.credentials });
			expect(run.status).toBe('success');
			const out = run.outputs(ROUTER).flat();
			// Every item comes out once, paired with its input.
			expect(out.map((i) => (i.pairedItem as { item: number }).item).sort((x, y) => x - y)).toEqual(BATCH.map((_, i) => i));
			const routed = out.filter((i) => i.json.error === undefined);
			expect(routed.map((i) => [i.json.id, (i.json.delegation as IDataObject).ledger]).sort()).toEqual(GOOD_IDS.map((id) => [id, 'recorded']));
			// Failed items go to the in-house team (the Internal output), each with its own message.
			const failed = run.output(ROUTER, 0).filter((i) => i.json.error !== undefined);
			expect(failed.map((i) => [(i.pairedItem as { item: number }).item, i.json.error])).toEqual(
				BATCH.flatMap((t, i) => (t.error ? [[i, t.error]] : [])),
			);
			expect(await recordedTickets(b, scope)).toEqual(GOOD_IDS);

			// Sending the same batch again records nothing new: the good ones come back as they stand.
			const again = await runWorkflow(routerWorkflow(b, scope, true), { items: BATCH.map((t) => t.payload), credentials: b.credentials });
			const states = again.outputs(ROUTER).flat().filter((i) => i.json.error === undefined).map((i) => (i.json.delegation as IDataObject).ledger);
			expect(states).toEqual(GOOD_IDS.map(() => 'existing'));
			expect(await recordedTickets(b, scope)).toEqual(GOOD_IDS);
		});

		it('without Continue On Fail, fails on the first bad item by index and field, and records nothing', async () => {
			const scope = `poison-${process.pid}-${++scopes}`;
			const b = backend();
			const run = await runWorkflow(routerWorkflow(b, scope, false), { items: BATCH.map((t) => t.payload), credentials: b.credentials });
			expect(run.status).toBe('error');
			const error = run.error(ROUTER) as Error & { context: { itemIndex: number } };
			expect(error.message).toBe(BATCH[1].error);
			expect(error.context.itemIndex).toBe(1);
			expect(await recordedTickets(b, scope)).toEqual([]);
		});
	});
}

/** A random string of `n` UTF-16 units, each a 3-byte UTF-8 character (U+0800..U+D7FF): the most bytes per unit. */
function widest(n: number, seed: number): string {
	const rnd = random(seed);
	return Array.from({ length: n }, () => String.fromCharCode(0x800 + Math.floor(rnd() * (0xd7ff - 0x800)))).join('');
}

/** The largest row a valid ticket and policy can produce: every bounded field at its bound, incompressible. */
function widestRow(seed: number) {
	const vendor = widest(200, seed + 1); // policy ids are at most 200 characters
	return decision({
		scope: widest(200, seed + 2),
		ticketId: widest(255, seed),
		vendor,
		destination: vendor,
		ruleId: widest(200, seed + 3),
		topic: widest(100, seed + 4),
		channel: widest(100, seed + 5),
		language: widest(100, seed + 6),
		priority: widest(100, seed + 7),
	});
}

const sqliteFile = join(folder, 'poison.sqlite');
poisonSuite('embedded SQLite', () => ({
	parameters: { ledger: 'embedded', ledgerFile: sqliteFile },
	open: () => SqliteLedger.open(sqliteFile),
}));

describe('embedded SQLite: the bounds are enough', () => {
	it('records the widest valid row', async () => {
		const ledger = await SqliteLedger.open(join(folder, 'widest.sqlite'));
		try {
			const row = widestRow(11);
			await ledger.routeBatch(row.scope, request({ ticketIds: [row.ticketId] }), () => ({ rows: [row], overflowActive: {}, result: null }));
			expect((await ledger.decisionsOf(row.scope, row.ticketId)).map((r) => r.topic)).toEqual([row.topic]);
		} finally {
			await ledger.close();
		}
	});
});

const unavailable = postgresUnavailable();
const schemas: string[] = [];
const credential: ICredentialDataDecryptedObject = {
	host: String(PG.host),
	port: Number(PG.port),
	database: String(PG.database),
	user: String(PG.user),
	password: String(PG.password ?? ''),
	ssl: 'disable',
	allowUnauthorizedCerts: false,
	sshTunnel: false,
};

describe.skipIf(unavailable !== null)('PostgreSQL', () => {
	const schema = uniqueSchema('poison');
	schemas.push(schema);
	afterAll(async () => {
		await closeLedgers();
		await dropSchemas(schemas);
	});

	poisonSuite('PostgreSQL', () => ({
		parameters: { ledger: 'postgres', ledgerSchema: schema },
		credentials: { postgres: credential },
		open: () => openPostgres(schema),
	}));

	it('the bounds are enough: the widest valid row is recorded (every index row under the btree limit)', async () => {
		const ledger = await openPostgres(schema);
		try {
			const row = widestRow(23);
			await ledger.routeBatch(row.scope, request({ ticketIds: [row.ticketId] }), () => ({ rows: [row], overflowActive: {}, result: null }));
			expect((await ledger.decisionsOf(row.scope, row.ticketId)).map((r) => [r.ticketId, r.language])).toEqual([[row.ticketId, row.language]]);
		} finally {
			await ledger.close();
		}
	});

	it('and they are needed: unvalidated, one such ticket fails the whole batch in PostgreSQL, nothing written', async () => {
		const ledger = await openPostgres(schema);
		try {
			for (const [bad, code] of [
				[decision({ scope: 'unvalidated', ticketId: widest(10_240, 5) }), '54000'], // index row size exceeds the btree maximum
				[decision({ scope: 'unvalidated', topic: widest(10_240, 6) }), '54000'],
				[decision({ scope: 'unvalidated', ticketId: 'T\u0000nul' }), '22021'], // invalid byte sequence for encoding UTF8
			] as const) {
				const batch = [decision({ scope: 'unvalidated' }), bad, decision({ scope: 'unvalidated' })];
				const failure = await ledger
					.routeBatch('unvalidated', request(), () => ({ rows: batch, overflowActive: {}, result: null }))
					.catch((e: unknown) => e);
				expect((failure as { code?: string }).code).toBe(code);
			}
			expect((await ledger.list({ scope: 'unvalidated' })).rows).toEqual([]);
		} finally {
			await ledger.close();
		}
	});
});
