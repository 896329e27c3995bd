import type { ICredentialDataDecryptedObject, IWorkflowBase } from 'n8n-workflow';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { routerWorkflow } from '../harness/router-workflow';
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

	const POLICY = {
		scope: 'big-batch',
		defaultDestination: 'team',
		destinations: [
			{ id: 'team', name: 'Support team', kind: 'internal' },
			{ id: 'api-guild', name: 'API Guild', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['subject'] },
			{ id: 'billing-experts', name: 'Billing Experts', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['subject', 'body'] },
		],
		rules: [
			{ id: 'api', name: 'API questions', kind: 'specialist', when: { keywords: ['webhook'] }, target: 'api-guild' },
			{ id: 'billing', name: 'Billing', kind: 'specialist', when: { keywords: ['invoice'] }, target: 'billing-experts' },
		],
	};
	// The API Guild's only tickets are in the first group; billing's in every group; the team's after them.
	const subject = (i: number) => (i < 5 ? 'Webhook failing' : i % 3 === 0 ? 'Invoice wrong' : 'Cannot log in');
	const items = (prefix: string) => Array.from({ length: 2_500 }, (_, i) => ({ id: `${prefix}-${i}`, subject: subject(i), body: 'Hello' }));

	async function run(schema: string, prefix: string, options: Record<string, unknown> = {}) {
		const workflow = routerWorkflow(
			{ policyJson: JSON.stringify(POLICY), outputMode: 'destination', options, ledger: 'postgres', ledgerSchema: schema },
			{ credentials: { postgres: { id: 'pg', name: 'pg' } } },
		);
		const result = await runWorkflow(workflow, { items: items(prefix), credentials: { postgres: credential } });
		expect(result.status).toBe('success');
		return result.outputs('Ticket Router').flat().map((item) => item.json as { id: string; delegation: { decisionId: string; destination: string; ledger: string } });
	}

	/**
	 * A recorded batch larger than the groups the router hands the ledger while it still decides (1,000 decisions each):
	 * the ledger must hold it exactly as one written at the end would be.
	 */
	it('2,500 tickets in one execution: each recorded once, in input order, with its vendor terms; a re-route supersedes each once', async () => {
		const schema = uniqueSchema('bigbatch');
		schemas.push(schema);
		const routed = await run(schema, 'big');
		expect(routed).toHaveLength(2_500);
		expect(routed.every((r) => r.delegation.ledger === 'recorded')).toBe(true);

		const db = new Client(PG);
		await db.connect();
		try {
			const { rows } = await db.query(`SELECT id, ticket_id, destination, head FROM "${schema}".delegations ORDER BY seq`);
			expect(rows.map((r) => r.ticket_id)).toEqual(items('big').map((i) => i.id));
			const byTicket = new Map(routed.map((r) => [r.id, r.delegation]));
			expect(rows.every((r) => byTicket.get(r.ticket_id)!.decisionId === r.id && byTicket.get(r.ticket_id)!.destination === r.destination && r.head === true)).toBe(true);
			// By the rules: 5 API tickets, then every third of the rest (index divisible by 3, from 6 on) to billing.
			const count = (d: string) => rows.filter((r) => r.destination === d).length;
			expect([count('api-guild'), count('billing-experts'), count('team')]).toEqual([5, 832, 1_663]);
			const terms = await db.query(`SELECT vendor, allowed_fields FROM "${schema}".decision_terms ORDER BY vendor`);
			expect(terms.rows).toEqual([
				{ vendor: 'api-guild', allowed_fields: '["subject"]' },
				{ vendor: 'billing-experts', allowed_fields: '["subject","body"]' },
			]);
			const [{ n }] = (await db.query(`SELECT sum(count)::int AS n FROM "${schema}".delegation_rollup WHERE grain = (SELECT min(grain) FROM "${schema}".delegation_rollup)`)).rows;
			expect(n).toBe(2_500);

			// Again, re-routing: 2,500 new decisions, each superseding its ticket's, one current decision per ticket.
			const again = await run(schema, 'big', { reroute: true });
			const after = await db.query(`SELECT ticket_id, count(*)::int AS decisions, count(head)::int AS current, max(previous_id) AS previous FROM "${schema}".delegations GROUP BY ticket_id`);
			expect(after.rows).toHaveLength(2_500);
			expect(after.rows.every((r) => r.decisions === 2 && r.current === 1 && r.previous === byTicket.get(r.ticket_id)!.decisionId)).toBe(true);
			const heads = await db.query(`SELECT id FROM "${schema}".delegations WHERE head ORDER BY seq`);
			expect(heads.rows.map((r) => r.id)).toEqual(again.sort((a, b) => Number(a.id.split('-')[1]) - Number(b.id.split('-')[1])).map((r) => r.delegation.decisionId));
		} finally {
			await db.end();
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
