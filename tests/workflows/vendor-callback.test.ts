import { createHmac, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExecutionLifecycleHooks, WebhookContext } from 'n8n-core';
import type { INode, IWebhookData, IWebhookDescription, IWebhookResponseData, IWorkflowBase } from 'n8n-workflow';
import { getNodeWebhookPath, Workflow } from 'n8n-workflow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { VendorCallback } from '../../nodes/VendorCallback/VendorCallback.node';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { packageNodeTypes } from '../harness/node-types';
import { HARNESS_INPUT, harnessAdditionalData, runWorkflow } from '../harness/workflow';
import { beginHandOffs, decision, request as snapshotRequest } from '../ledger/fixtures';

/**
 * The vendor-callback template's own Vendor Callback node, served by n8n-core's WebhookContext behind a real HTTP
 * server (raw body read as n8n reads it), then the template's manual path reading back what was recorded.
 */
const template = JSON.parse(readFileSync(join(__dirname, '..', '..', 'workflows', 'vendor-callback.json'), 'utf8')) as IWorkflowBase;
const TYPE = 'n8n-nodes-support-delegation.vendorCallback';
const ledgerFile = join(mkdtempSync(join(tmpdir(), 'sd-callback-wf-')), 'ledger.sqlite');
const SECRET = randomBytes(16).toString('hex');
const trigger = new VendorCallback();

const callbackNode: INode = {
	...(template.nodes.find((n) => n.type === TYPE) as INode),
	parameters: { ...(template.nodes.find((n) => n.type === TYPE)!.parameters), ledgerFile },
	credentials: { supportProviderApi: { id: 'cred-billingpro', name: 'billingpro' } },
};
const nodeTypes = (() => {
	const types = packageNodeTypes();
	const get = (type: string) => types[type] as VendorCallback;
	return { getByName: get, getByNameAndVersion: get, getKnownTypes: () => ({}) };
})();
const workflow = new Workflow({ id: template.id, name: template.name, nodes: [callbackNode], connections: {}, nodeTypes, active: true, settings: {}, staticData: {} });
const description = trigger.description.webhooks![0] as IWebhookDescription;

let server: Server;
let url = '';
const served: IWebhookResponseData[] = [];

/** As n8n does for a webhook: the raw body on `req.rawBody`, then the node's webhook() in a WebhookContext. */
async function serve(req: IncomingMessage & { rawBody?: Buffer }, res: import('node:http').ServerResponse) {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	req.rawBody = Buffer.concat(chunks);
	const hooks = new ExecutionLifecycleHooks('webhook', 'wh', template);
	const additionalData = Object.assign(harnessAdditionalData(hooks, 'wh', { supportProviderApi: { authentication: 'none', baseUrl: 'https://billingpro.example', signingSecret: SECRET } }), {
		httpRequest: req,
		httpResponse: res,
	});
	const webhookData = {
		httpMethod: 'POST',
		node: callbackNode.name,
		path: 'support-delegation/vendor-callback/billingpro',
		webhookDescription: description,
		workflowId: template.id,
		workflowExecuteAdditionalData: additionalData,
		webhookId: callbackNode.webhookId,
	} as IWebhookData;
	const context = new WebhookContext(workflow, callbackNode, additionalData, 'webhook', webhookData, [], null);
	served.push(await trigger.webhook.call(context));
	if (!res.headersSent) res.writeHead(599).end();
}

async function send(fields: Record<string, unknown>, { secret = SECRET, timestamp = String(Math.floor(Date.now() / 1000)) } = {}) {
	const body = JSON.stringify(fields);
	const signature = 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', 'x-callback-timestamp': timestamp, 'x-callback-signature': signature },
		body,
	});
	return { status: response.status, json: (await response.json()) as Record<string, unknown>, replayed: response.headers.get('x-callback-replayed') };
}

beforeAll(async () => {
	const ledger = await SqliteLedger.open(ledgerFile);
	const rows = [
		decision({ scope: 'support', ticketId: 'T-1001', vendor: 'billingpro', destination: 'billingpro' }),
		decision({ scope: 'support', ticketId: 'T-1002', vendor: 'voiceline', destination: 'voiceline' }),
		decision({ scope: 'support', ticketId: 'T-1003', vendor: 'billingpro', destination: 'billingpro' }),
		decision({ scope: 'support', ticketId: 'T-1004', vendor: 'billingpro', destination: 'billingpro' }),
	];
	await ledger.routeBatch('support', snapshotRequest(), () => ({ rows, overflowActive: {}, result: null }));
	await beginHandOffs(ledger, 'support', rows);
	await ledger.close();
	server = createServer((req, res) => void serve(req, res));
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	url = `http://127.0.0.1:${(server.address() as { port: number }).port}/webhook/support-delegation/vendor-callback/billingpro`;
});

afterAll(async () => {
	server.closeAllConnections();
	await new Promise((resolve) => server.close(resolve));
	await closeLedgers();
});

describe('vendor-callback template: the Vendor Callback node under n8n-core', () => {
	it('serves /webhook/support-delegation/vendor-callback/<vendor ID>, the path n8n computes from the node', () => {
		const path = workflow.expression.getSimpleParameterValue(callbackNode, description.path, 'internal', {}) as string;
		expect(getNodeWebhookPath(template.id, callbackNode, path, description.isFullPath as boolean)).toBe('support-delegation/vendor-callback/billingpro');
	});

	it('records a signed outcome, answers the vendor and hands the workflow one item; the manual path lists it', async () => {
		const answer = await send({ ticketId: 'T-1001', status: 'resolved', csat: 2, providerReference: 'BP-1' });
		expect(answer).toEqual({
			status: 200,
			json: expect.objectContaining({ recorded: true, ticketId: 'T-1001', status: 'resolved', csat: 2, slaMet: null, providerReference: 'BP-1' }),
			replayed: null,
		});
		const result = served.at(-1)!;
		expect(result.noWebhookResponse).toBe(true);
		expect(result.workflowData).toHaveLength(1);
		expect(result.workflowData![0]).toHaveLength(1);
		expect(result.workflowData![0][0].json).toMatchObject({ ticketId: 'T-1001', status: 'resolved', csat: 2, vendor: 'billingpro', callback: { vendor: 'billingpro', callbackId: null } });

		// The template's "Show recorded outcomes" path, from the Manual Trigger's place, on the same ledger.
		const listing = template.nodes.find((n) => n.name === 'Outcomes from billingpro')!;
		const run = await runWorkflow({
			nodes: [
				{ id: 'in', name: 'Show recorded outcomes', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} },
				{ ...listing, parameters: { ...listing.parameters, ledgerFile } },
			],
			connections: template.connections,
		});
		const listed = run.output('Outcomes from billingpro').map((item) => [item.json.ticketId, item.json.status, item.json.csat]);
		// Other tests of this file may have recorded T-1003 and T-1004 first; never voiceline's T-1002.
		expect(listed.filter(([ticketId]) => ticketId !== 'T-1003' && ticketId !== 'T-1004')).toEqual([['T-1001', 'resolved', 2]]);
	});

	it('answers a retry under the same callback id as the first time and refuses another report under it (409 naming callbackId)', async () => {
		const first = await send({ ticketId: 'T-1004', status: 'accepted', callbackId: 'evt-1004' });
		expect(first.status).toBe(200);
		const retry = await send({ callbackId: 'evt-1004', status: 'accepted', ticketId: 'T-1004' }, { timestamp: String(Math.floor(Date.now() / 1000) + 1) });
		expect(retry).toEqual({ ...first, replayed: 'true' });
		const before = served.length;
		const reused = await send({ ticketId: 'T-1004', status: 'resolved', callbackId: 'evt-1004', csat: 5 });
		expect(reused).toEqual({
			status: 409,
			json: { error: 'callbackId "evt-1004" was recorded before with another report: send each event under its own callbackId', field: 'callbackId' },
			replayed: null,
		});
		expect(served.slice(before).map((r) => r.workflowData)).toEqual([undefined]);
		// The ticket is still where the first report left it: the resolution under a fresh id is recorded.
		expect((await send({ ticketId: 'T-1004', status: 'resolved', callbackId: 'evt-1005', csat: 5 })).json).toMatchObject({ status: 'resolved', csat: 5 });
	});

	it('starts nothing for a refusal or a replay', async () => {
		const timestamp = String(Math.floor(Date.now() / 1000));
		const accepted = await send({ ticketId: 'T-1003', status: 'accepted' }, { timestamp });
		expect(accepted.status).toBe(200);
		const before = served.length;
		expect((await send({ ticketId: 'T-1002', status: 'accepted' })).status).toBe(404);
		expect((await send({ ticketId: 'T-1003', status: 'resolved' }, { secret: 'not-the-secret' })).status).toBe(401);
		expect((await send({ ticketId: 'T-1003', status: 'accepted', callbackId: 'evt-1' })).status).toBe(409);
		// An offset no clock has is the vendor's bad field (422), never a ledger outage (503) the vendor would retry forever.
		expect(await send({ ticketId: 'T-1003', status: 'resolved', resolvedAt: '2026-11-30T14:05:00+99:99' })).toMatchObject({ status: 422 });
		const replay = await send({ ticketId: 'T-1003', status: 'accepted' }, { timestamp });
		expect(replay).toEqual({ ...accepted, replayed: 'true' });
		expect(served.slice(before).map((r) => r.workflowData)).toEqual([undefined, undefined, undefined, undefined, undefined]);
	});
});
