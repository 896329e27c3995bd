import type { ICredentialDataDecryptedObject, IWorkflowBase } from 'n8n-workflow';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { closeLedgers } from '../../nodes/shared/ledger/open';
import { PACKAGE, runWorkflow } from '../harness/workflow';
import fixture from '../workflows/fixtures/log-router-outcome.json';
import { PostgresLedger } from '../../ledger/postgres/postgres-ledger';
import { PG, dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

/** The router → Delegation Log fixture with every package node set to the PostgreSQL ledger in one schema. */
function onPostgres(schema: string): IWorkflowBase {
	const workflow = structuredClone(fixture) as unknown as IWorkflowBase;
	for (const node of workflow.nodes) {
		if (!node.type.startsWith(PACKAGE)) continue;
		node.parameters.ledger = 'postgres';
		node.parameters.ledgerSchema = schema;
		node.credentials = { postgres: { id: 'pg-ledger', name: 'Ledger database' } };
	}
	return workflow;
}

/** n8n's built-in Postgres credential, as n8n hands it to the node. */
const credential: ICredentialDataDecryptedObject = {
	host: String(PG.host),
	port: Number(PG.port),
	database: String(PG.database),
	user: String(PG.user),
	password: '',
	ssl: 'disable',
	allowUnauthorizedCerts: false,
	sshTunnel: false,
};

const ticket = (id: string, subject: string) => ({ id, subject, body: '', tags: [], language: 'en', channel: 'email' });
const unavailable = postgresUnavailable();
const schemas: string[] = [];

describe.skipIf(unavailable !== null)('workflow on the PostgreSQL ledger (n8n Postgres credential)', () => {
	afterAll(async () => {
		await closeLedgers();
		await dropSchemas(schemas);
	});

	it('records the router’s decisions and the Delegation Log’s outcomes in PostgreSQL; a re-run returns them instead of recording twice', async () => {
		const schema = uniqueSchema('workflow');
		schemas.push(schema);
		const items = [ticket('T-1', 'Refund for a double invoice'), ticket('T-2', 'Webhook retries'), ticket('T-3', 'Password reset')];
		const run = await runWorkflow(onPostgres(schema), { items, credentials: { postgres: credential } });
		expect(run.error()).toBeUndefined();
		const decided = run.outputs('Ticket Router').flat();
		expect(decided.map((i) => [i.json.id, (i.json.delegation as { ledger: string }).ledger]).sort()).toEqual([
			['T-1', 'recorded'],
			['T-2', 'recorded'],
			['T-3', 'recorded'],
		]);

		const again = await runWorkflow(onPostgres(schema), { items, credentials: { postgres: credential } });
		expect(again.error()).toBeUndefined();
		expect(again.outputs('Ticket Router').flat().map((i) => (i.json.delegation as { ledger: string }).ledger)).toEqual([
			'existing',
			'existing',
			'existing',
		]);
		const ledger = await openPostgres(schema);
		try {
			for (const id of ['T-1', 'T-2', 'T-3']) expect(await ledger.decisionsOf('support', id)).toHaveLength(1);
			// The Delegation Log node wrote the hand-off through the same credential.
			expect((await ledger.decisionsOf('support', 'T-1'))[0]).toMatchObject({ vendor: 'acme', status: 'handed_off', providerReference: 'ACME-T-1' });
			expect((await ledger.decisionsOf('support', 'T-3'))[0]).toMatchObject({ kind: 'internal', status: 'routed' });
		} finally {
			await ledger.close();
		}
	});

	/**
	 * The router starts a batch on the ledger its credential led to last time while n8n is still reading the
	 * credential. Edited to another database, the credential wins: the batch is written there, never in the old one —
	 * even when the old one cannot answer (here its scope's lock is held by another session).
	 */
	it('an edited credential takes effect on the next execution, also when the ledger it led to before is stuck', async () => {
		const schema = uniqueSchema('moved');
		schemas.push(schema);
		const other = { ...credential, database: 'postgres' };
		const route = (id: string, postgres: ICredentialDataDecryptedObject) =>
			runWorkflow(onPostgres(schema), { items: [ticket(id, 'Refund for a double invoice')], credentials: { postgres } });
		const recorded = (run: Awaited<ReturnType<typeof route>>) =>
			run.outputs('Ticket Router').flat().map((i) => (i.json.delegation as { ledger: string }).ledger);

		expect(recorded(await route('before', credential))).toEqual(['recorded']);
		// Another session holds the scope's lock in the database the credential led to.
		const holder = new Client(PG);
		await holder.connect();
		const started = performance.now();
		let elapsed = 0;
		let waiting: unknown[] = [];
		try {
			await holder.query(`SELECT pg_advisory_lock(hashtextextended($1, 0))`, [`support-delegation:${schema}:support`]);
			expect(recorded(await route('after', other))).toEqual(['recorded']);
			elapsed = performance.now() - started;
			// The batch did start on the old ledger: its session is still queued behind the held lock.
			waiting = (await holder.query(`SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND NOT granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`)).rows;
		} finally {
			await holder.end();
		}
		expect(waiting).toHaveLength(1);
		// Well inside Lock Wait (10 s): nothing waited for the old ledger's lock.
		expect(elapsed).toBeLessThan(5_000);
		expect(recorded(await route('back', credential))).toEqual(['recorded']);

		const inTest = await openPostgres(schema);
		const inPostgres = await PostgresLedger.open({ connection: { ...PG, database: 'postgres' }, schema });
		try {
			const tickets = async (ledger: PostgresLedger) => (await ledger.list({ scope: 'support', limit: 10 })).rows.map((r) => r.ticketId).sort();
			expect(await tickets(inTest)).toEqual(['back', 'before']);
			expect(await tickets(inPostgres)).toEqual(['after']);
		} finally {
			await inTest.close();
			await inPostgres.close();
		}
	});

	it('a credential that can no longer be read fails the execution and writes nothing in the ledger it led to before', async () => {
		const schema = uniqueSchema('unreadable');
		schemas.push(schema);
		const route = (id: string, postgres: ICredentialDataDecryptedObject) =>
			runWorkflow(onPostgres(schema), { items: [ticket(id, 'Refund for a double invoice')], credentials: { postgres } });
		expect((await route('before', credential)).error()).toBeUndefined();
		const failed = await route('after', { ...credential, sshTunnel: true });
		expect(failed.error()?.message).toMatch(/does not support the Postgres credential’s SSH tunnel/);
		const ledger = await openPostgres(schema);
		try {
			expect((await ledger.list({ scope: 'support', limit: 10 })).rows.map((r) => r.ticketId)).toEqual(['before']);
		} finally {
			await ledger.close();
		}
	});
});
