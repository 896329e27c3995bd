import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';

import { idempotencyKey, signature, signatureHeaders, verifySignature } from '../../../vendor/signing';

describe('idempotency key', () => {
	it('is the same for the same scope, ticket and vendor, and differs when any of them does', () => {
		const key = idempotencyKey('support-eu', 'T-1', 'acme');
		expect(key).toMatch(/^[0-9a-f]{64}$/);
		expect(idempotencyKey('support-eu', 'T-1', 'acme')).toBe(key);
		expect(new Set([key, idempotencyKey('support-us', 'T-1', 'acme'), idempotencyKey('support-eu', 'T-2', 'acme'), idempotencyKey('support-eu', 'T-1', 'globex')]).size).toBe(4);
	});

	it('cannot be confused by separators inside the parts', () => {
		expect(idempotencyKey('a.b', 'c', 'd')).not.toBe(idempotencyKey('a', 'b.c', 'd'));
	});
});

describe('signature', () => {
	const body = '{"ticketId":"T-1"}';

	it('is sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>", as the README tells vendors', () => {
		const expected = createHmac('sha256', 'sec').update(`1700000000.${body}`).digest('hex');
		expect(signature('sec', 1700000000, body)).toBe(`sha256=${expected}`);
		expect(signatureHeaders('sec', body, 1700000000_999)).toEqual({ 'X-Handoff-Timestamp': '1700000000', 'X-Handoff-Signature': `sha256=${expected}` });
	});

	it('verifies what was signed and rejects a changed body, a wrong secret or a stale timestamp', () => {
		const now = 1700000000_000;
		const h = signatureHeaders('sec', body, now);
		const headers = { timestamp: h['X-Handoff-Timestamp'], signature: h['X-Handoff-Signature'] };
		expect(verifySignature('sec', headers, body, now)).toBe(true);
		expect(verifySignature('sec', headers, body.replace('T-1', 'T-2'), now)).toBe(false);
		expect(verifySignature('other', headers, body, now)).toBe(false);
		expect(verifySignature('sec', headers, body, now + 301_000)).toBe(false);
		expect(verifySignature('sec', { timestamp: undefined, signature: headers.signature }, body, now)).toBe(false);
	});
});
