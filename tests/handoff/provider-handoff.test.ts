import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import type { Delegation } from '../../domain/routing/delegation';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { closeLedgers } from '../../nodes/shared/ledger/open';
import { runWorkflow } from '../harness/workflow';
import { delegationFor, seedDecisions } from '../unit/handoff/fixtures';
import { PII_CORPUS } from '../unit/handoff/pii-corpus';
import workflow from '../workflows/fixtures/handoff-single.json';
import type { Fault } from './vendor-server';
import { VendorServer } from './vendor-server';

const SECRET = 'whsec_node_test';
let server: VendorServer;

beforeAll(async () => {
	server = await new VendorServer({ secret: SECRET }).start();
});
afterAll(async () => {
	await closeLedgers();
	await server.stop();
});

const ledgerFile = join(mkdtempSync(join(tmpdir(), 'sd-handoff-node-')), 'ledger.sqlite');

/** Records the items' delegations as the Ticket Router would have: the node hands off only what the ledger holds. */
async function record(items: IDataObject[]) {
	const ledger = await SqliteLedger.open(ledgerFile);
	try {
		await seedDecisions(ledger, items.filter((i) => i.delegation).map((i) => i.delegation as unknown as Delegation));
	} finally {
		await ledger.close();
	}
}

const credentials = () => ({
	supportProviderApi: { baseUrl: server.url, authentication: 'bearer', token: 'tok-1', signingSecret: SECRET, testPath: '/health' },
});

function withParameters(parameters: IDataObject, node: IDataObject = {}) {
	const copy = structuredClone(workflow);
	Object.assign(copy.nodes[1].parameters, { ledgerFile }, parameters);
	Object.assign(copy.nodes[1], node);
	return copy as unknown as Parameters<typeof runWorkflow>[0];
}

/** A Zendesk-like ticket whose every text field carries PII, plus notes that must never leave. */
function ticket(ticketId: string, text: string, overrides: Parameters<typeof delegationFor>[2] = {}, vendor = 'acme'): IDataObject {
	return {
		id: ticketId,
		subject: `Problem with my account ${text.slice(0, 40)}`,
		body: text,
		requester: { name: 'Zoë Müller', email: 'zoe.mueller@example.de' },
		internal_notes: 'INTERNAL: suspected chargeback fraud',
		comments: [
			{ body: text, public: true },
			{ body: 'PRIVATE: agent-only remark', public: false },
		],
		delegation: delegationFor(ticketId, vendor, overrides) as unknown as IDataObject,
	};
}

const handoff = (item: INodeExecutionData) => item.json.handoff as IDataObject;
const paired = (items: INodeExecutionData[]) => items.map((i) => (i.pairedItem as { item: number }).item);

describe('Provider Handoff node against a fault-injecting vendor', () => {
	it('delivers each ticket once or puts it on Failed, never leaks PII or notes, and signs every request', async () => {
		const faults: Record<string, Fault[]> = {
			'M-1': [{ kind: 'status', status: 500 }],
			'M-2': [{ kind: 'status', status: 429, retryAfter: '0' }],
			'M-3': [{ kind: 'slow', ms: 1_400 }],
			'M-4': [{ kind: 'reset' }],
			'M-5': [{ kind: 'malformed' }],
			'M-6': [{ kind: 'slow', ms: 100 }],
			'M-7': [{ kind: 'status', status: 400, body: '{"message":"unknown product"}' }],
			'M-8': Array.from({ length: 6 }, () => ({ kind: 'status' as const, status: 503 })),
		};
		const items: IDataObject[] = PII_CORPUS.map((c, i) => ticket(`M-${i}`, c.input));
		items.push(ticket('M-region', 'x', { customerRegion: 'us' }));
		items.push(ticket('M-nodpa', 'x', { policyVersion: 'v-nodpa', vendorTerms: { dpa: false, dataRegions: [], allowedFields: ['id'] } }));
		items.push(ticket('M-other', 'x', {}, 'globex'));
		for (const [id, list] of Object.entries(faults)) server.plan(id, ...list);
		const allowed = { policyVersion: 'v-pii', vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id', 'subject', 'body', 'comments', 'requester.name'] } };
		for (const item of items.slice(0, PII_CORPUS.length)) item.delegation = { ...(item.delegation as IDataObject), ...allowed };
		await record(items);

		const run = await runWorkflow(withParameters({ redaction: { fields: 'requester.name' } }), { items, credentials: credentials() });
		expect(run.status).toBe('success');
		const [delivered, failed] = run.outputs('Hand Off to Acme');

		// Every item comes out exactly once, on one of the two outputs.
		expect([...paired(delivered), ...paired(failed)].sort((a, b) => a - b)).toEqual(items.map((_, i) => i));
		expect(failed.map((i) => [i.json.id, handoff(i).errorClass])).toEqual([
			['M-7', 'client_error'],
			['M-8', 'server_error'],
			['M-region', 'refused_region'],
			['M-nodpa', 'refused_no_dpa'],
			['M-other', 'refused_vendor'],
		]);
		expect(handoff(failed[0]).error).toMatchObject({ httpCode: '400', description: 'unknown product' });
		expect(handoff(failed[1])).toMatchObject({ attempts: 4, httpStatus: 503 });

		for (const item of delivered) {
			const id = item.json.id as string;
			expect(server.createdPerTicket.get(id)).toBe(1);
			expect(handoff(item)).toMatchObject({ status: 'delivered', source: 'vendor', vendor: 'acme', providerReference: server.created.get(handoff(item).idempotencyKey as string) });
		}
		expect(delivered).toHaveLength(PII_CORPUS.length - 2);

		const received = server.received.filter((r) => String(r.ticketId).startsWith('M-'));
		expect(received.every((r) => r.signatureValid === true && r.headers.authorization === 'Bearer tok-1')).toBe(true);
		expect(received.some((r) => ['M-region', 'M-nodpa', 'M-other'].includes(r.ticketId!))).toBe(false);
		const everything = received.map((r) => r.body).join('\n');
		for (const c of PII_CORPUS) for (const value of c.values) expect(everything).not.toContain(value);
		for (const secret of ['zoe.mueller@example.de', 'Zoë Müller', 'INTERNAL', 'PRIVATE']) expect(everything).not.toContain(secret);

		// The item records what was redacted, by kind, never the values.
		const unicode = delivered.find((i) => i.json.id === `M-${PII_CORPUS.length - 1}`)!;
		// Body and public comment carry all four; the subject's first 40 characters only reach the e-mail.
		expect(handoff(unicode).redactions).toEqual({ email: 3, phone: 2, card: 2, iban: 2, field: 1 });
	});

	it('never sends a private comment reached through an indexed allowed field: indexes count the public entries', async () => {
		const terms = { policyVersion: 'v-indexed', vendorTerms: { dpa: true, dataRegions: ['eu'], allowedFields: ['id', 'comments.0.body', 'comments.1'] } };
		const item = { ...ticket('I-1', 'x', terms), comments: [{ body: 'PRIVATE: suspected fraud, do not refund', public: false }, { body: 'Hello, my order is late', public: true }] };
		await record([item]);
		const run = await runWorkflow(withParameters({}), { items: [item], credentials: credentials() });
		expect(run.output('Hand Off to Acme', 0)).toHaveLength(1);
		const [request] = server.requestsFor('I-1');
		// The first comment the vendor may see is the customer's; there is no second one.
		expect(JSON.parse(request.body).ticket).toEqual({ id: 'I-1', comments: { 0: { body: 'Hello, my order is late' } } });
	});

	it('re-running the same items creates nothing new at the vendor: same references, same keys', async () => {
		const items = [ticket('R-1', 'call +33 6 12 34 56 78'), ticket('R-2', 'mail a@b.co')];
		await record(items);
		const first = await runWorkflow(withParameters({}), { items, credentials: credentials() });
		const second = await runWorkflow(withParameters({}), { items, credentials: credentials() });
		const refs = (run: typeof first) => run.output('Hand Off to Acme', 0).map((i) => handoff(i).providerReference);
		expect(refs(second)).toEqual(refs(first));
		expect(server.createdPerTicket.get('R-1')).toBe(1);
		expect(server.createdPerTicket.get('R-2')).toBe(1);
		// The ledger holds both as handed off: the second run sends nothing and answers from the ledger.
		expect(server.requestsFor('R-1')).toHaveLength(1);
		expect(second.output('Hand Off to Acme', 0).map((i) => handoff(i).source)).toEqual(['ledger', 'ledger']);
	});

	it('keeps a ticket with the vendor once an attempt may have reached it, whatever a later retry or execution is told', async () => {
		const options = { concurrency: 8, timeoutMs: 300, maxRetries: 1, retryBaseDelayMs: 5, retryMaxDelayMs: 50 };
		const items = [ticket('D-1', 'x'), ticket('D-2', 'x'), ticket('D-3', 'x')];
		await record(items);
		// D-1: a 201 we cannot read (the vendor created the ticket), then a 503. D-2: a timeout after the vendor created
		// the ticket, then a 503. D-3: both attempts time out (the vendor created the ticket on the first).
		server.plan('D-1', { kind: 'malformed' }, { kind: 'status', status: 503 });
		server.plan('D-2', { kind: 'slow', ms: 600 }, { kind: 'status', status: 503 });
		server.plan('D-3', { kind: 'slow', ms: 600 }, { kind: 'slow', ms: 600 });
		const first = await runWorkflow(withParameters({ options }), { items, credentials: credentials() });
		const [delivered, failed, pending] = first.outputs('Hand Off to Acme');
		expect(delivered.map((i) => [i.json.id, handoff(i).providerReference])).toEqual([['D-1', null]]);
		expect(failed).toEqual([]);
		expect(pending.map((i) => [i.json.id, handoff(i).errorClass])).toEqual([
			['D-2', 'timeout'],
			['D-3', 'timeout'],
		]);
		// The next execution re-sends D-2 and D-3 under the same key and is refused: they stay with the vendor.
		server.plan('D-2', { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
		server.plan('D-3', { kind: 'status', status: 400, body: '{"message":"duplicate"}' });
		const second = await runWorkflow(withParameters({ options }), { items: items.slice(1), credentials: credentials() });
		const [, failedAgain, pendingAgain] = second.outputs('Hand Off to Acme');
		expect(failedAgain).toEqual([]);
		expect(pendingAgain.map((i) => [i.json.id, handoff(i).errorClass, handoff(i).httpStatus])).toEqual([
			['D-2', 'server_error', 503],
			['D-3', 'client_error', 400],
		]);
		expect(handoff(pendingAgain[0]).message).toContain("an earlier execution's attempt under the same Idempotency-Key may have reached the vendor");
		for (const id of ['D-1', 'D-2', 'D-3']) expect(server.createdPerTicket.get(id)).toBe(1);
		const ledger = await SqliteLedger.open(ledgerFile);
		try {
			const statuses = await Promise.all(['D-1', 'D-2', 'D-3'].map(async (id) => (await ledger.decisionsOf('support-eu', id)).map((d) => d.status)));
			expect(statuses).toEqual([['handed_off'], ['routed'], ['routed']]);
		} finally {
			await ledger.close();
		}
	});

	it('uses the configured method and path', async () => {
		const items = [ticket('P-1', 'x')];
		await record(items);
		const run = await runWorkflow(withParameters({ method: 'PUT', path: '/queues/{vendor}/inbox' }), { items, credentials: credentials() });
		expect(run.output('Hand Off to Acme', 0)).toHaveLength(1);
		expect(server.requestsFor('P-1')[0]).toMatchObject({ method: 'PUT', path: '/queues/acme/inbox' });
	});

	it('stops with an error naming the item when an item carries no delegation', async () => {
		const run = await runWorkflow(withParameters({}), { items: [ticket('E-1', 'x'), { id: 'E-2', subject: 'no delegation' }], credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.error('Hand Off to Acme')?.message).toBe('Item 1 cannot be handed off: it has no "delegation" object');
		expect(server.requestsFor('E-1')).toHaveLength(0);
	});

	it('with Continue On Fail, puts invalid items on Failed with the error and still delivers the rest', async () => {
		await record([ticket('C-1', 'x')]);
		const run = await runWorkflow(withParameters({}, { onError: 'continueRegularOutput' }), {
			items: [{ id: 'C-0', delegation: { ticketId: 'C-0', vendor: null, policyScope: 's' } }, ticket('C-1', 'x')],
			credentials: credentials(),
		});
		expect(run.status).toBe('success');
		const [delivered, failed] = run.outputs('Hand Off to Acme');
		expect(paired(delivered)).toEqual([1]);
		expect(failed).toEqual([
			{ json: { id: 'C-0', delegation: { ticketId: 'C-0', vendor: null, policyScope: 's' }, error: expect.stringContaining('"delegation.vendor" is empty') }, pairedItem: { item: 0 } },
		]);
	});

	it('refuses to start with a redaction pattern that does not compile', async () => {
		const run = await runWorkflow(withParameters({ redaction: { patterns: { pattern: [{ name: 'order', pattern: 'ORD-(' }] } } }), { items: [ticket('X-1', 'x')], credentials: credentials() });
		expect(run.status).toBe('error');
		expect(run.error('Hand Off to Acme')?.message).toContain('Redaction pattern "order" (ORD-() is not a regular expression RE2 accepts');
		expect(server.requestsFor('X-1')).toHaveLength(0);
	});
});
