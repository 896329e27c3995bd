import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startDemoVendor, type DemoVendor } from '../../../scripts/demo/vendor';

/** What the README tells a vendor to verify, computed here from the formula, not from the package's signer. */
const sign = (secret: string, timestamp: number, body: string) =>
	`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;

describe('the demo vendor npm run dev starts (the Provider Handoff contract)', () => {
	const secret = randomBytes(16).toString('hex');
	let vendor: DemoVendor;
	beforeAll(async () => {
		vendor = await startDemoVendor({ secret });
	});
	afterAll(async () => {
		await vendor.close();
	});

	const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
		const response = await fetch(`${vendor.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });
		return { status: response.status, json: (await response.json()) as Record<string, unknown> };
	};
	const signed = (body: string, key: string, at = Math.floor(Date.now() / 1000)) => ({
		'idempotency-key': key,
		'x-handoff-timestamp': String(at),
		'x-handoff-signature': sign(secret, at, body),
	});

	it('creates a ticket once per idempotency key and answers a repeat with the first reference', async () => {
		const body = JSON.stringify({ ticketId: 'D-1', vendor: 'acme' });
		const first = await post('/acme/tickets', body, signed(body, 'key-1'));
		expect(first).toEqual({ status: 201, json: { id: 'ACME-1', status: 'created' } });
		const again = await post('/acme/tickets', body, signed(body, 'key-1'));
		expect(again).toEqual({ status: 200, json: { id: 'ACME-1', status: 'existing' } });
		const other = JSON.stringify({ ticketId: 'D-2', vendor: 'acme' });
		expect((await post('/acme/tickets', other, signed(other, 'key-2'))).json.id).toBe('ACME-2');
	});

	it('refuses what a real vendor would refuse', async () => {
		const body = JSON.stringify({ ticketId: 'D-9', vendor: 'acme' });
		const before = vendor.accepted.length;
		// Unsigned, tampered after signing, signed with another secret, replayed from 6 minutes ago.
		expect((await post('/acme/tickets', body, { 'idempotency-key': 'k' })).status).toBe(401);
		expect((await post('/acme/tickets', body.replace('D-9', 'D-8'), signed(body, 'k'))).status).toBe(401);
		const at = Math.floor(Date.now() / 1000);
		expect((await post('/acme/tickets', body, { 'idempotency-key': 'k', 'x-handoff-timestamp': String(at), 'x-handoff-signature': sign('other', at, body) })).status).toBe(401);
		expect((await post('/acme/tickets', body, signed(body, 'k', at - 360))).status).toBe(401);
		// No key, a ticket for another vendor, not JSON, no ticket id, larger than 1 MB, an unknown path.
		const noKey = signed(body, 'k');
		delete (noKey as Record<string, string>)['idempotency-key'];
		expect((await post('/acme/tickets', body, noKey)).status).toBe(400);
		expect((await post('/other/tickets', body, signed(body, 'k'))).status).toBe(409);
		expect((await post('/acme/tickets', '{"ticketId":', signed('{"ticketId":', 'k'))).status).toBe(400);
		expect((await post('/acme/tickets', '{}', signed('{}', 'k'))).status).toBe(400);
		const huge = JSON.stringify({ ticketId: 'D-10', pad: 'x'.repeat(1024 * 1024) });
		expect((await post('/acme/tickets', huge, signed(huge, 'k'))).status).toBe(413);
		expect((await post('/acme/../tickets', body, signed(body, 'k'))).status).toBe(404);
		expect(vendor.accepted.length).toBe(before);
	});

	it('answers the credential test and the AI template as an OpenAI chat model would, with the labels as JSON text', async () => {
		expect((await fetch(`${vendor.url}/acme/health`)).status).toBe(200);
		const ask = async (text: string) => {
			const { status, json } = await post('/v1/chat/completions', JSON.stringify({ model: 'demo', messages: [{ role: 'system', content: 'refund bug' }, { role: 'user', content: text }] }));
			expect(status).toBe(200);
			const [choice] = json.choices as Array<{ message: { role: string; content: string } }>;
			expect(choice.message.role).toBe('assistant');
			return JSON.parse(choice.message.content) as { intent: string; confidence: number };
		};
		// Only the user's text counts, not the instructions around it.
		expect(await ask('I was charged twice, please refund')).toEqual({ intent: 'refund', confidence: 0.92 });
		expect(await ask('Hello, can you call me back?')).toEqual({ intent: 'other', confidence: 0.4 });
	});
});
