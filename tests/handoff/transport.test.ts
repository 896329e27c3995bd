import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import type { TransportOptions, VendorEndpoint } from '../../vendor-boundary/transport';
import { VendorTransport } from '../../vendor-boundary/transport';
import { VendorServer, vendorVerifies } from './vendor-server';

const SECRET = 'whsec_test';
let server: VendorServer;

beforeAll(async () => {
	server = await new VendorServer({ secret: SECRET }).start();
});
afterAll(() => server.stop());
beforeEach(() => {
	server.received.length = 0;
});

const options = (overrides: Partial<TransportOptions['retry']> & { timeoutMs?: number; maxResponseBytes?: number } = {}): TransportOptions => ({
	timeoutMs: overrides.timeoutMs ?? 2_000,
	maxResponseBytes: overrides.maxResponseBytes ?? 1_000_000,
	concurrency: 4,
	retry: { maxRetries: overrides.maxRetries ?? 3, baseDelayMs: overrides.baseDelayMs ?? 5, maxDelayMs: overrides.maxDelayMs ?? 50 },
});

const endpoint = (overrides: Partial<VendorEndpoint> = {}): VendorEndpoint => ({
	baseUrl: server.url,
	method: 'POST',
	path: '/v1/{vendor}/tickets',
	headers: { 'X-API-Key': 'k-123' },
	signingSecret: SECRET,
	referenceField: 'id',
	...overrides,
});

let counter = 0;
async function send(ticketId: string, transport = new VendorTransport(endpoint(), options())) {
	try {
		return await transport.deliver('acme', JSON.stringify({ ticketId }), `key-${ticketId}`);
	} finally {
		transport.close();
	}
}
const id = (name: string) => `${name}-${++counter}`;

describe('VendorTransport against a real HTTP server', () => {
	it('delivers with the reference, the Idempotency-Key, auth and a signature that verifies', async () => {
		const t = id('ok');
		const result = await send(t);
		expect(result).toMatchObject({ ok: true, httpStatus: 201, attempts: 1 });
		const [request] = server.requestsFor(t);
		expect(request.path).toBe('/v1/acme/tickets');
		expect(request.headers['idempotency-key']).toBe(`key-${t}`);
		expect(request.headers['x-api-key']).toBe('k-123');
		expect(request.headers['content-type']).toContain('application/json');
		expect(request.signatureValid).toBe(true);
		expect(
			vendorVerifies(SECRET, request.headers['x-handoff-timestamp'] as string, request.headers['x-handoff-signature'] as string, request.body + ' '),
		).toBe(false);
	});

	it('retries 500s and then delivers once', async () => {
		const t = id('500');
		server.plan(t, { kind: 'status', status: 500 }, { kind: 'status', status: 503 });
		const result = await send(t);
		expect(result).toMatchObject({ ok: true, attempts: 3 });
		expect(server.requestsFor(t)).toHaveLength(3);
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('honours Retry-After in seconds on 429', async () => {
		const t = id('429');
		server.plan(t, { kind: 'status', status: 429, retryAfter: '1' });
		const started = Date.now();
		const result = await send(t, new VendorTransport(endpoint(), options({ maxDelayMs: 2_000 })));
		expect(result).toMatchObject({ ok: true, attempts: 2 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(950);
	});

	it('honours Retry-After as an HTTP date', async () => {
		const t = id('429d');
		server.plan(t, { kind: 'status', status: 429, retryAfter: new Date(Date.now() + 1_500).toUTCString() });
		const started = Date.now();
		const result = await send(t, new VendorTransport(endpoint(), options({ maxDelayMs: 3_000 })));
		expect(result).toMatchObject({ ok: true, attempts: 2 });
		expect(Date.now() - started).toBeGreaterThanOrEqual(400);
	});

	it('gives up at once when Retry-After is longer than the maximum delay, rather than retrying early', async () => {
		const t = id('429long');
		server.plan(t, { kind: 'status', status: 429, retryAfter: '3600', body: '{"message":"hourly quota exhausted"}' });
		const result = await send(t);
		expect(result).toMatchObject({ ok: false, errorClass: 'rate_limited', httpStatus: 429, attempts: 1, vendorMessage: 'hourly quota exhausted' });
		expect(server.requestsFor(t)).toHaveLength(1);
	});

	it('does not retry other 4xx and reports the vendor message', async () => {
		const t = id('422');
		server.plan(t, { kind: 'status', status: 422, body: '{"errors":[{"message":"subject is required"}]}' });
		const result = await send(t);
		expect(result).toEqual({
			ok: false,
			errorClass: 'client_error',
			httpStatus: 422,
			attempts: 1,
			vendorMessage: 'subject is required',
			message: 'Vendor refused the ticket with 422: subject is required',
		});
		expect(server.requestsFor(t)).toHaveLength(1);
	});

	it('retries a timed-out attempt with the same key, and the vendor does not create a second ticket', async () => {
		const t = id('timeout');
		server.plan(t, { kind: 'slow', ms: 1_200 });
		const result = await send(t, new VendorTransport(endpoint(), options({ timeoutMs: 600 })));
		expect(result).toMatchObject({ ok: true, attempts: 2, httpStatus: 200 });
		expect(server.requestsFor(t)).toHaveLength(2);
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('delivers through a slow answer that stays within the timeout', async () => {
		const t = id('slow');
		server.plan(t, { kind: 'slow', ms: 120 });
		expect(await send(t)).toMatchObject({ ok: true, attempts: 1 });
	});

	it('retries a connection reset', async () => {
		const t = id('reset');
		server.plan(t, { kind: 'reset' }, { kind: 'reset' });
		const result = await send(t);
		expect(result).toMatchObject({ ok: true, attempts: 3 });
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('retries a 2xx that is not JSON and gets the same reference on replay', async () => {
		const t = id('malformed');
		server.plan(t, { kind: 'malformed' });
		const result = await send(t);
		expect(result).toMatchObject({ ok: true, attempts: 2, httpStatus: 200 });
		expect(result.ok && result.providerReference).toBe(server.created.get(`key-${t}`));
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('fails with the error class once retries are exhausted', async () => {
		const t = id('down');
		server.plan(t, ...Array.from({ length: 5 }, () => ({ kind: 'status' as const, status: 502 })));
		const result = await send(t, new VendorTransport(endpoint(), options({ maxRetries: 2 })));
		expect(result).toMatchObject({ ok: false, errorClass: 'server_error', httpStatus: 502, attempts: 3 });
		expect(server.requestsFor(t)).toHaveLength(3);
	});

	it('reports network errors when nothing listens', async () => {
		const closed = new VendorTransport(endpoint({ baseUrl: 'http://127.0.0.1:1' }), options({ maxRetries: 1 }));
		const result = await send(id('refused'), closed);
		expect(result).toMatchObject({ ok: false, errorClass: 'network', attempts: 2 });
	});

	it('does not follow redirects', async () => {
		const t = id('redirect');
		server.plan(t, { kind: 'status', status: 307, body: '' });
		expect(await send(t)).toMatchObject({ ok: false, errorClass: 'redirect', httpStatus: 307, attempts: 1 });
	});

	it('caps the response size', async () => {
		const t = id('big');
		server.plan(t, { kind: 'status', status: 200, body: JSON.stringify({ id: 'x', padding: 'x'.repeat(5_000) }) });
		expect(await send(t, new VendorTransport(endpoint(), options({ maxResponseBytes: 1_000 })))).toMatchObject({ ok: false, errorClass: 'response_too_large' });
	});

	it('reads the reference from a configured path', async () => {
		const nested = await new VendorServer({ referenceField: 'number' }).start();
		try {
			const transport = new VendorTransport({ ...endpoint(), baseUrl: nested.url, signingSecret: null, referenceField: 'number' }, options());
			expect(await send(id('ref'), transport)).toMatchObject({ ok: true, providerReference: 'VND-1' });
			const missing = new VendorTransport({ ...endpoint(), baseUrl: nested.url, signingSecret: null, referenceField: 'ticket.id' }, options({ maxRetries: 0 }));
			expect(await send(id('noref'), missing)).toMatchObject({ ok: false, errorClass: 'malformed_response' });
		} finally {
			await nested.stop();
		}
	});
});
