import { describe, expect, it } from 'vitest';

import { hmacSha256Hex, idempotencyKey, signature, signatureHeaders } from '../../../vendor-boundary/signing';

describe('idempotency key', () => {
	it('is the SHA-256 of the JSON array [scope, ticket, vendor, decision] (computed with sha256sum)', () => {
		// printf '%s' '["support-eu","T-1","acme","d-T-1"]' | sha256sum
		expect(idempotencyKey('support-eu', 'T-1', 'acme', 'd-T-1')).toBe('65bb5ffa8b7ff918f09e378a0ed904f4f346cacd4c77dfa067c0a4b673fe1556');
	});

	it('differs when any part does, and cannot be confused by separators inside the parts', () => {
		const key = idempotencyKey('support-eu', 'T-1', 'acme', 'd-1');
		const others = [
			idempotencyKey('support-us', 'T-1', 'acme', 'd-1'),
			idempotencyKey('support-eu', 'T-2', 'acme', 'd-1'),
			idempotencyKey('support-eu', 'T-1', 'globex', 'd-1'),
			// A re-delegation of the same ticket to the same vendor is a new decision: a new key.
			idempotencyKey('support-eu', 'T-1', 'acme', 'd-2'),
		];
		expect(new Set([key, ...others]).size).toBe(5);
		expect(idempotencyKey('a.b', 'c', 'd', 'e')).not.toBe(idempotencyKey('a', 'b.c', 'd', 'e'));
	});
});

describe('signature', () => {
	const body = '{"ticketId":"T-1"}';

	it('matches openssl: sha256= and the hex HMAC-SHA256 of "<timestamp>.<body>", as the README tells vendors', () => {
		// printf '%s' '1700000000.{"ticketId":"T-1"}' | openssl dgst -sha256 -hmac sec
		const openssl = '79dc629f7cb575f4a169de75febc9bd35da248840bfa7963c17dd20906df347d';
		expect(signature('sec', 1700000000, body)).toBe(`sha256=${openssl}`);
		expect(signatureHeaders('sec', body, 1700000000_999)).toEqual({ 'X-Handoff-Timestamp': '1700000000', 'X-Handoff-Signature': `sha256=${openssl}` });
	});

	it('rests on HMAC-SHA256 as RFC 4231 specifies it (test cases 1, 2, 3 and 6)', () => {
		const hex = (byte: string, n: number) => Buffer.from(byte.repeat(n), 'hex');
		expect(hmacSha256Hex(hex('0b', 20), 'Hi There')).toBe('b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7');
		expect(hmacSha256Hex('Jefe', 'what do ya want for nothing?')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
		expect(hmacSha256Hex(hex('aa', 20), hex('dd', 50))).toBe('773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe');
		expect(hmacSha256Hex(hex('aa', 131), 'Test Using Larger Than Block-Size Key - Hash Key First')).toBe(
			'60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54',
		);
	});
});
