import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IDataObject, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';
import { LoggerProxy } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { closeLedgers } from '../../nodes/shared/ledger/open';
import { baseNode } from '../harness/base-nodes';
import { runWorkflow } from '../harness/workflow';
import { handoffWorkflow } from './router-workflow';
import { withLedger } from './ledger-file';
import { VendorServer } from './vendor-server';

const API_KEY = 'sk_live_ECHO_4242_secret';
const SIGNING = 'whsec_ledger_decisions';
const folder = mkdtempSync(join(tmpdir(), 'sd-handoff-ledger-'));
let server: VendorServer;
let files = 0;

beforeAll(async () => {
	server = await new VendorServer({ secret: SIGNING }).start();
});
afterAll(async () => {
	await closeLedgers();
	await server.stop();
});

type Edit = { name: string; value: unknown; type: 'string' | 'object' | 'boolean' | 'array' };

/**
 * The router → hand-off template, optionally with a Set node between a router output (1: Acme, 2: Bolt) and
 * Hand Off to Acme.
 */
function workflow(ledgerFile: string, edits: Edit[] = [], handoff: IDataObject = {}, from: 1 | 2 = 1): IWorkflowBase {
	const w = handoffWorkflow(ledgerFile);
	Object.assign(w.nodes.find((n) => n.name === 'Hand Off to Acme')!, handoff);
	if (edits.length === 0) return w;
	w.nodes.push({
		id: 'set',
		name: 'Edit Delegation',
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		position: [360, -80],
		parameters: {
			mode: 'manual',
			includeOtherFields: true,
			assignments: {
				assignments: edits.map((e, i) => ({ id: `a${i}`, name: e.name, type: e.type, value: e.type === 'string' ? String(e.value) : JSON.stringify(e.value) })),
			},
			options: { dotNotation: true },
		},
	});
	w.connections['Ticket Router'].main[from] = [{ node: 'Edit Delegation', type: 'main', index: 0 }];
	w.connections['Edit Delegation'] = { main: [[{ node: 'Hand Off to Acme', type: 'main', index: 0 }]] };
	return w;
}

const run = (w: IWorkflowBase, items: object[], apiKey = API_KEY) =>
	runWorkflow(w, {
		items: items as never,
		credentials: { supportProviderApi: { baseUrl: server.url, authentication: 'apiKey', headerName: 'X-API-Key', apiKey, signingSecret: SIGNING } },
		extraNodeTypes: { 'n8n-nodes-base.set': baseNode('Set', 'Set') },
	});

const newLedger = () => join(folder, `ledger-${++files}.sqlite`);
const ticket = (id: string, subject = 'Refund please') => ({ id, subject, body: '', tags: [], language: 'en', channel: 'email', customer: { tier: 'pro', region: 'eu', email: 'who@example.com' } });
const handoff = (item: INodeExecutionData) => item.json.handoff as IDataObject;

describe('Provider Handoff sends only what the ledger decided', () => {
	const tampering: Array<[string, Edit[], string]> = [
		['the vendor', [{ name: 'delegation.vendor', value: 'acme', type: 'string' }], 'delegation.vendor'],
		['the decision id', [{ name: 'delegation.decisionId', value: '00000000-0000-4000-8000-000000000000', type: 'string' }], 'delegation.decisionId'],
		['the allowed fields', [{ name: 'delegation.vendorTerms.allowedFields', value: ['id', 'subject', 'body', 'customer'], type: 'array' }], 'delegation.vendorTerms.allowedFields'],
		['the DPA flag and regions', [{ name: 'delegation.vendorTerms', value: { dpa: true, dataRegions: ['eu', 'us'], allowedFields: ['id', 'subject', 'body', 'customer.tier'] }, type: 'object' }], 'delegation.vendorTerms.dataRegions'],
		['the ticket id', [{ name: 'delegation.ticketId', value: 'T-other', type: 'string' }], 'delegation.ticketId'],
	];

	it.each(tampering)('refuses a delegation whose %s a Set node edited: the node stops naming the item and field, the vendor sees nothing', async (_what, edits, field) => {
		const file = newLedger();
		const prefix = `SET-${files}`;
		// The vendor case takes Bolt's tickets (webhooks) and relabels them for Acme, whose node serves "acme".
		const toBolt = field === 'delegation.vendor';
		const subjects = toBolt ? ['Webhook retries forever', 'API key rotation'] : ['Refund please', 'Invoice copy'];
		const tickets = subjects.map((subject, i) => ticket(`${prefix}-${i + 1}`, subject));
		const before = server.received.length;
		const result = await run(workflow(file, edits, {}, toBolt ? 2 : 1), tickets);
		expect(result.status).toBe('error');
		const error = result.error('Hand Off to Acme') as Error & { description?: string };
		expect(error.message).toMatch(/^Item 0 cannot be handed off: /);
		expect(error.description).toContain(`"${field}"`);
		expect(server.received.length - before).toBe(0);
		// The router's decisions stand untouched: routed, no hand-off recorded.
		await withLedger(file, async (ledger) => {
			for (const t of tickets) expect((await ledger.decisionsOf('support', t.id)).map((d) => d.status)).toEqual(['routed']);
		});
	});

	it('with Continue On Fail, puts each edited item on Failed with the field, and sends nothing', async () => {
		const file = newLedger();
		const before = server.received.length;
		const w = workflow(file, [{ name: 'delegation.vendorTerms.allowedFields', value: ['id', 'customer.email'], type: 'array' }], { onError: 'continueRegularOutput' });
		const result = await run(w, [ticket('COF-1'), ticket('COF-2')]);
		expect(result.status).toBe('success');
		const [delivered, failed, pending] = result.outputs('Hand Off to Acme');
		expect(delivered).toEqual([]);
		expect(pending ?? []).toEqual([]);
		expect(failed.map((i) => [i.pairedItem, handoff(i).errorClass, handoff(i).field])).toEqual([
			[{ item: 0 }, 'refused_tampered', 'delegation.vendorTerms.allowedFields'],
			[{ item: 1 }, 'refused_tampered', 'delegation.vendorTerms.allowedFields'],
		]);
		expect((handoff(failed[1]).error as IDataObject).message).toMatch(/^Item 1 cannot be handed off: /);
		expect(server.received.length - before).toBe(0);
		expect(JSON.stringify(server.received)).not.toContain('who@example.com');
	});

	it('hands off a re-delegation to the same vendor after it returned the ticket as a new ticket, under a new key', async () => {
		const file = newLedger();
		const t = ticket('REDEL-1');
		const first = await run(workflow(file), [t]);
		const [firstOut] = first.output('Hand Off to Acme', 0);
		expect(handoff(firstOut)).toMatchObject({ status: 'delivered', source: 'vendor' });
		await withLedger(file, (ledger) => ledger.recordOutcomes('support', [{ ticketId: 'REDEL-1', update: { status: 'returned' } }]));

		const second = await run(workflow(file), [t]);
		const [secondOut] = second.output('Hand Off to Acme', 0);
		expect(handoff(secondOut)).toMatchObject({ status: 'delivered', source: 'vendor' });
		const keys = server.requestsFor('REDEL-1').map((r) => r.headers['idempotency-key']);
		expect(keys).toHaveLength(2);
		expect(keys[0]).not.toBe(keys[1]);
		expect(server.createdPerTicket.get('REDEL-1')).toBe(2);
		expect(handoff(secondOut).providerReference).not.toBe(handoff(firstOut).providerReference);
		expect(handoff(secondOut).decisionId).not.toBe(handoff(firstOut).decisionId);
		await withLedger(file, async (ledger) => {
			const decisions = await ledger.decisionsOf('support', 'REDEL-1');
			expect(decisions.map((d) => [d.status, d.providerReference])).toEqual([
				['returned', handoff(firstOut).providerReference],
				['handed_off', handoff(secondOut).providerReference],
			]);
		});
	});

	it('keeps a 409 "in flight" on Pending with the decision open, then completes it under the same key', async () => {
		const file = newLedger();
		// maxRetries is 1 in the template: two 409s outlast the retries.
		server.plan('INFLIGHT-1', { kind: 'status', status: 409, retryAfter: '0', body: '{"message":"in progress"}' }, { kind: 'status', status: 409, retryAfter: '0' });
		const first = await run(workflow(file), [ticket('INFLIGHT-1')]);
		const [delivered, failed, pending] = first.outputs('Hand Off to Acme');
		expect([delivered.length, failed.length]).toEqual([0, 0]);
		expect(pending.map((i) => [handoff(i).status, handoff(i).errorClass, i.pairedItem])).toEqual([['pending', 'in_flight', { item: 0 }]]);
		// Not on the internal queue: Back to Internal Queue only hangs off Bolt, and Acme's Failed is empty.
		await withLedger(file, async (ledger) => expect((await ledger.decisionsOf('support', 'INFLIGHT-1')).map((d) => d.status)).toEqual(['routed']));

		const second = await run(workflow(file), [ticket('INFLIGHT-1')]);
		expect(second.output('Hand Off to Acme', 0).map((i) => handoff(i).status)).toEqual(['delivered']);
		const keys = new Set(server.requestsFor('INFLIGHT-1').map((r) => r.headers['idempotency-key']));
		expect(keys.size).toBe(1);
		expect(server.createdPerTicket.get('INFLIGHT-1')).toBe(1);
	});

	it('sends an earlier decision under the terms recorded with it, though the policy has changed since', async () => {
		const file = newLedger();
		const t = { ...ticket('TERMS-1'), body: 'please refund order 991' };
		server.plan('TERMS-1', { kind: 'status', status: 409, retryAfter: '0' }, { kind: 'status', status: 409, retryAfter: '0' });
		const first = await run(workflow(file), [t]);
		expect(first.output('Hand Off to Acme', 2)).toHaveLength(1);

		// The policy now lets Acme see the customer's e-mail too; the open decision was made under the old version.
		const widened = workflow(file);
		const router = widened.nodes.find((n) => n.name === 'Ticket Router')!;
		const policy = JSON.parse(router.parameters.policyJson as string) as { destinations: Array<{ id: string; allowedFields?: string[] }> };
		policy.destinations.find((d) => d.id === 'acme')!.allowedFields!.push('customer.email');
		router.parameters.policyJson = JSON.stringify(policy);
		const second = await run(widened, [t]);
		const [delivered] = second.output('Hand Off to Acme', 0);
		expect(handoff(delivered)).toMatchObject({ status: 'delivered', source: 'vendor' });
		const bodies = server.requestsFor('TERMS-1').map((r) => JSON.parse(r.body).ticket);
		expect(bodies.at(-1)).toEqual({ id: 'TERMS-1', subject: 'Refund please', body: 'please refund order 991', customer: { tier: 'pro' } });
		expect(JSON.stringify(server.requestsFor('TERMS-1'))).not.toContain('who@example.com');
	});

	it('counts a 2xx without a reference as delivered (the vendor has it) and never sends it again', async () => {
		const file = newLedger();
		server.plan('NOREF-1', { kind: 'status', status: 202, body: '{"status":"queued"}' }, { kind: 'status', status: 202, body: '{"status":"queued"}' });
		const first = await run(workflow(file), [ticket('NOREF-1')]);
		expect(first.output('Hand Off to Acme', 0).map((i) => [handoff(i).status, handoff(i).providerReference, handoff(i).httpStatus])).toEqual([['delivered', null, 202]]);
		const sent = server.requestsFor('NOREF-1').length;
		const second = await run(workflow(file), [ticket('NOREF-1')]);
		expect(second.output('Hand Off to Acme', 0).map((i) => handoff(i).source)).toEqual(['ledger']);
		expect(server.requestsFor('NOREF-1')).toHaveLength(sent);
		await withLedger(file, async (ledger) => expect((await ledger.decisionsOf('support', 'NOREF-1'))[0]).toMatchObject({ status: 'handed_off', providerReference: null }));
	});

	it('never lets a credential the vendor echoes reach node output, error text or logs', async () => {
		const file = newLedger();
		server.plan('ECHO-1', { kind: 'echo', status: 401 });
		const logged: string[] = [];
		const capture = (message: string, meta?: object) => logged.push(`${message} ${JSON.stringify(meta ?? {})}`);
		LoggerProxy.init({ error: capture, warn: capture, info: capture, debug: capture, verbose: capture } as never);
		const writes = { out: process.stdout.write, err: process.stderr.write };
		const tee = (stream: 'out' | 'err') => (chunk: unknown, ...rest: unknown[]) => {
			logged.push(String(chunk));
			return (writes[stream] as (...a: unknown[]) => boolean).call(stream === 'out' ? process.stdout : process.stderr, chunk, ...rest);
		};
		process.stdout.write = tee('out') as typeof process.stdout.write;
		process.stderr.write = tee('err') as typeof process.stderr.write;
		let result;
		try {
			result = await run(workflow(file), [ticket('ECHO-1')]);
		} finally {
			process.stdout.write = writes.out;
			process.stderr.write = writes.err;
		}
		const [failed] = result.output('Hand Off to Acme', 1);
		// The vendor did echo it: the request it answered carried the key.
		expect(server.requestsFor('ECHO-1')[0].headers['x-api-key']).toBe(API_KEY);
		expect(handoff(failed)).toMatchObject({ errorClass: 'client_error', httpStatus: 401, vendorMessage: expect.stringContaining('[credential]') });
		expect((handoff(failed).error as IDataObject).description).toContain('[credential]');
		const everything = JSON.stringify(result.run.data.resultData) + logged.join('\n');
		expect(everything).not.toContain(API_KEY);
		expect(everything).not.toContain(SIGNING);
	});
});
