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
	credentialValues: ['k-123', SECRET],
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

	it('keeps a 2xx an earlier attempt got when later retries fail: the vendor took the ticket', async () => {
		const t = id('taken-then-503');
		// 201 with a body we cannot read (the vendor created the ticket), then 503s on every retry.
		server.plan(t, { kind: 'malformed' }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
		const result = await send(t, new VendorTransport(endpoint(), options({ maxRetries: 2 })));
		expect(result).toMatchObject({ ok: false, errorClass: 'malformed_response', httpStatus: 201, attempts: 3 });
		expect(!result.ok && result.message).toMatch(/^Vendor answered 201 with a body that is not JSON \(attempt 1\); a later attempt: Vendor failed with 503/);
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('keeps a 2xx an earlier attempt got when the retry is told to wait longer than allowed', async () => {
		const t = id('taken-then-429');
		server.plan(t, { kind: 'status', status: 202, body: '' }, { kind: 'status', status: 429, retryAfter: '3600' });
		const result = await send(t);
		expect(result).toMatchObject({ ok: false, errorClass: 'malformed_response', httpStatus: 202, attempts: 2 });
	});

	it('keeps an attempt in doubt when later retries are refused: the vendor may hold the ticket', async () => {
		const t = id('doubt-then-503');
		// The first attempt times out after the vendor created the ticket; the retries get 503.
		server.plan(t, { kind: 'slow', ms: 800 }, { kind: 'status', status: 503 }, { kind: 'status', status: 503 });
		const result = await send(t, new VendorTransport(endpoint(), options({ timeoutMs: 300, maxRetries: 2 })));
		expect(result).toMatchObject({ ok: false, errorClass: 'timeout', httpStatus: null, attempts: 3 });
		expect(!result.ok && result.message).toMatch(/^No complete answer from the vendor within 300 ms \(attempt 1\); a later attempt: Vendor failed with 503/);
		expect(server.createdPerTicket.get(t)).toBe(1);
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

	it('ends a vendor that drips its answer a byte every 300 ms at the total deadline, not at the last byte', async () => {
		const t = id('drip');
		server.plan(t, { kind: 'drip', intervalMs: 300 });
		const started = performance.now();
		const result = await send(t, new VendorTransport(endpoint(), options({ timeoutMs: 500, maxRetries: 0 })));
		const elapsed = performance.now() - started;
		expect(result).toMatchObject({ ok: false, errorClass: 'timeout', attempts: 1 });
		// The body is ~30 bytes: 9 s at one byte per 300 ms. An idle timeout never fires (gaps are 300 ms < 500 ms).
		expect(elapsed).toBeGreaterThanOrEqual(490);
		expect(elapsed).toBeLessThan(500 + 400);
	});

	it('ends slow headers at the same deadline', async () => {
		const t = id('slowheaders');
		server.plan(t, { kind: 'slow', ms: 3_000 });
		const started = performance.now();
		expect(await send(t, new VendorTransport(endpoint(), options({ timeoutMs: 500, maxRetries: 0 })))).toMatchObject({ ok: false, errorClass: 'timeout' });
		expect(performance.now() - started).toBeLessThan(500 + 400);
	});

	it('refuses an answer larger than the cap however it arrives', async () => {
		const t = id('huge');
		server.plan(t, { kind: 'status', status: 201, body: JSON.stringify({ id: 'x', padding: 'y'.repeat(2_000_000) }) });
		expect(await send(t, new VendorTransport(endpoint(), options({ maxResponseBytes: 64 * 1024, maxRetries: 0 })))).toMatchObject({ ok: false, errorClass: 'response_too_large', vendorMessage: null });
	});

	it('retries a 409 "in flight" under the same key and delivers the one ticket', async () => {
		const t = id('409');
		server.plan(t, { kind: 'status', status: 409, body: '{"message":"request with this key in progress"}', retryAfter: '0' });
		const result = await send(t);
		expect(result).toMatchObject({ ok: true, attempts: 2 });
		expect(server.requestsFor(t).map((r) => r.headers['idempotency-key'])).toEqual([`key-${t}`, `key-${t}`]);
		expect(server.createdPerTicket.get(t)).toBe(1);
	});

	it('reports a 409 that outlasts the retries as in_flight', async () => {
		const t = id('409x');
		server.plan(t, ...Array.from({ length: 3 }, () => ({ kind: 'status' as const, status: 409, retryAfter: '0' })));
		expect(await send(t, new VendorTransport(endpoint(), options({ maxRetries: 2 })))).toMatchObject({ ok: false, errorClass: 'in_flight', httpStatus: 409, attempts: 3 });
	});

	it('scrubs every credential value a vendor echoes, in any of the forms an echo takes', async () => {
		const cases: Array<[string, Partial<VendorEndpoint>]> = [
			['apikey', { headers: { 'X-API-Key': 'k-123' }, credentialValues: ['k-123', SECRET] }],
			['bearer', { headers: { Authorization: 'Bearer tok-XYZ-987' }, credentialValues: ['tok-XYZ-987', SECRET] }],
			['basic', { headers: { Authorization: `Basic ${Buffer.from('ops:pa$$ w0rd!').toString('base64')}` }, credentialValues: ['pa$$ w0rd!', SECRET] }],
		];
		for (const [name, overrides] of cases) {
			const t = id(`echo-${name}`);
			server.plan(t, { kind: 'echo', status: 401 });
			const result = await send(t, new VendorTransport(endpoint(overrides), options()));
			expect(result).toMatchObject({ ok: false, errorClass: 'client_error', httpStatus: 401 });
			const text = JSON.stringify(result);
			// The echo did carry the credential: the request headers the vendor saw hold it.
			const headers = JSON.stringify(server.requestsFor(t)[0].headers);
			for (const value of overrides.credentialValues!) {
				if (value !== SECRET) expect(headers.includes(value) || headers.includes(Buffer.from(`ops:${value}`).toString('base64'))).toBe(true);
				expect(text).not.toContain(value);
				expect(text).not.toContain(encodeURIComponent(value));
			}
			expect(text).not.toContain(Buffer.from('ops:pa$$ w0rd!').toString('base64'));
			expect(text).toContain('[credential]');
		}
	});

	it('scrubs a credential a PHP vendor echoes with "/" written "\\/", also as a message cut to 300 characters', async () => {
		const token = 'tok/9fK2pQ7xZ4mW1vB8nR3sT6yU0hJ5gL2c';
		const php = (value: unknown) => JSON.stringify(value).replaceAll('/', '\\/');
		const endpointWith = endpoint({ headers: { Authorization: `Bearer ${token}` }, credentialValues: [token] });
		// No message field we know: the raw body is the vendor's message.
		const raw = id('php-raw');
		server.plan(raw, { kind: 'status', status: 400, body: php({ received: { authorization: `Bearer ${token}` } }) });
		const rawResult = await send(raw, new VendorTransport(endpointWith, options()));
		expect(rawResult).toMatchObject({ ok: false, vendorMessage: '{"received":{"authorization":"[credential]"}}' });
		// A message whose token straddles the 300-character excerpt, and one hidden by a \u escape.
		const cut = id('php-cut');
		const message = `${'Request rejected by upstream gateway; '.repeat(7)}header: Bearer ${token}`;
		server.plan(cut, { kind: 'status', status: 400, body: php({ message }) });
		const cutResult = await send(cut, new VendorTransport(endpointWith, options()));
		expect(JSON.stringify(cutResult)).not.toContain('tok/9fK2');
		expect(!cutResult.ok && cutResult.vendorMessage).toMatch(/header: \[credential\]$/);
		const hidden = id('unicode-escape');
		server.plan(hidden, { kind: 'status', status: 400, body: `{"message":"bad token \\u0074ok/9fK2pQ7xZ4mW1vB8nR3sT6yU0hJ5gL2c"}` });
		expect(await send(hidden, new VendorTransport(endpointWith, options()))).toMatchObject({ ok: false, vendorMessage: 'bad token [credential]' });
	});

	it('scrubs a credential the vendor puts in a status body, JSON-escaped or URL-encoded', async () => {
		const secret = 'k"\\/é 1';
		const t = id('echo-json');
		server.plan(t, { kind: 'status', status: 400, body: JSON.stringify({ message: `bad key ${secret} or ${encodeURIComponent(secret)}` }) });
		const result = await send(t, new VendorTransport(endpoint({ headers: { 'X-API-Key': 'plain' }, credentialValues: [secret] }), options()));
		expect(result).toMatchObject({ ok: false, vendorMessage: 'bad key [credential] or [credential]' });
	});
});
