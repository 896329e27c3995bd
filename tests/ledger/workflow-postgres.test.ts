import type { ICredentialDataDecryptedObject, IWorkflowBase } from 'n8n-workflow';
import { afterAll, describe, expect, it } from 'vitest';

import { closeLedgers } from '../../nodes/shared/ledger/open';
import { PACKAGE, runWorkflow } from '../harness/workflow';
import fixture from '../workflows/fixtures/log-router-outcome.json';
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
});
