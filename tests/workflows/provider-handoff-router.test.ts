import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IExecuteFunctions, INodeType, IWorkflowBase } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { VendorServer } from '../handoff/vendor-server';
import { PACKAGE, runWorkflow } from '../harness/workflow';
import fixture from './fixtures/handoff-router.json';

/** Stands for whatever the internal queue is (a helpdesk update, a Slack post): it just passes items on. */
class Collect implements INodeType {
	description = {
		displayName: 'Collect',
		name: 'collect',
		group: ['transform'],
		version: 1,
		description: 'Passes items through',
		defaults: { name: 'Collect' },
		inputs: ['main'],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: IExecuteFunctions) {
		return [this.getInputData()];
	}
}

const folder = mkdtempSync(join(tmpdir(), 'sd-handoff-router-'));
let server: VendorServer;

beforeAll(async () => {
	server = await new VendorServer({ secret: 'whsec_flow' }).start();
});
afterAll(async () => {
	await closeLedgers();
	await server.stop();
});

function workflowWith(ledgerFile: string): IWorkflowBase {
	const workflow = structuredClone(fixture) as unknown as IWorkflowBase;
	for (const node of workflow.nodes) if (node.type.startsWith(PACKAGE)) node.parameters.ledgerFile = ledgerFile;
	return workflow;
}

const run = (ledgerFile: string, items: object[]) =>
	runWorkflow(workflowWith(ledgerFile), {
		items: items as never,
		credentials: { supportProviderApi: { baseUrl: server.url, authentication: 'apiKey', headerName: 'X-API-Key', apiKey: 'k', signingSecret: 'whsec_flow' } },
		extraNodeTypes: { 'harness.collect': new Collect() },
	});

const ticket = (id: string, subject: string, body = '') => ({ id, subject, body, tags: [], language: 'en', channel: 'email', customer: { tier: 'pro', region: 'eu', email: 'who@example.com' } });

describe('Ticket Router → Provider Handoff → ledger', () => {
	it('hands external tickets to their vendor once, records the outcome, and routes failures back', async () => {
		const ledgerFile = join(folder, 'ledger.sqlite');
		const tickets = [
			ticket('T-1', 'Refund please', 'Card 4111 1111 1111 1111, call me on +44 20 7946 0958'),
			ticket('T-2', 'Webhook retries forever'),
			ticket('T-3', 'Password reset'),
			ticket('T-4', 'Invoice is wrong', 'send it to billing@customer.example'),
		];
		server.plan('T-2', { kind: 'status', status: 503 }, { kind: 'status', status: 503 });

		const first = await run(ledgerFile, tickets);
		expect(first.status).toBe('success');
		expect(first.output('Ticket Router', 0).map((i) => i.json.id)).toEqual(['T-3']);
		const delivered = first.output('Hand Off to Acme', 0);
		expect(delivered.map((i) => [i.json.id, (i.json.handoff as { providerReference: string }).providerReference])).toEqual([
			['T-1', server.created.get(server.requestsFor('T-1')[0].headers['idempotency-key'] as string)],
			['T-4', server.created.get(server.requestsFor('T-4')[0].headers['idempotency-key'] as string)],
		]);
		expect(first.output('Back to Internal Queue').map((i) => [i.json.id, (i.json.handoff as { errorClass: string }).errorClass])).toEqual([['T-2', 'server_error']]);

		// Only the allow-listed fields left, redacted; the customer's e-mail (not allowed) never did.
		const sent = JSON.parse(server.requestsFor('T-1')[0].body);
		expect(sent.ticket).toEqual({ id: 'T-1', subject: 'Refund please', body: 'Card [CARD_1], call me on [PHONE_1]', customer: { tier: 'pro' } });
		expect(server.received.map((r) => r.body).join()).not.toContain('who@example.com');

		const ledger = await SqliteLedger.open(ledgerFile);
		try {
			const ref = (delivered[0].json.handoff as { providerReference: string }).providerReference;
			expect((await ledger.decisionsOf('support', 'T-1')).at(-1)).toMatchObject({ vendor: 'acme', status: 'handed_off', providerReference: ref, handedOffAt: expect.any(Number) });
			expect((await ledger.decisionsOf('support', 'T-2')).at(-1)).toMatchObject({ vendor: 'bolt', status: 'handoff_failed', errorClass: 'server_error' });
			expect((await ledger.decisionsOf('support', 'T-3')).at(-1)).toMatchObject({ kind: 'internal', status: 'routed' });
		} finally {
			await ledger.close();
		}

		// A re-run of the same tickets: nothing handed off is sent again; the failed one goes out now.
		const requestsBefore = server.requestsFor('T-1').length + server.requestsFor('T-4').length;
		const second = await run(ledgerFile, tickets);
		expect(second.status).toBe('success');
		expect(server.requestsFor('T-1').length + server.requestsFor('T-4').length).toBe(requestsBefore);
		expect(second.output('Hand Off to Acme', 0).map((i) => [i.json.id, (i.json.handoff as { source: string }).source])).toEqual([
			['T-1', 'ledger'],
			['T-4', 'ledger'],
		]);
		expect(second.output('Hand Off to Bolt', 0).map((i) => i.json.id)).toEqual(['T-2']);
		expect([...server.createdPerTicket.values()].every((n) => n === 1)).toBe(true);
	});
});
