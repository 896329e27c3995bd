import { createHmac } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';

import { parseSignature, signatureMatches, signedBytes } from '../../../vendor-boundary/callback/signature';
import { DEFAULT_CALLBACK_LIMITS, verifyCallback, type CallbackLimits } from '../../../vendor-boundary/callback/verify';

const hex = (byte: string, n: number) => Buffer.from(byte.repeat(n), 'hex');

describe('HMAC-SHA256 with a constant-time compare', () => {
	// RFC 4231 section 4: test cases 1, 2, 3, 6 and 7 (HMAC-SHA-256 rows).
	const rfc4231: Array<[string, Buffer | string, Buffer | string, string]> = [
		['1', hex('0b', 20), 'Hi There', 'b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7'],
		['2', 'Jefe', 'what do ya want for nothing?', '5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843'],
		['3', hex('aa', 20), hex('dd', 50), '773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe'],
		['6', hex('aa', 131), 'Test Using Larger Than Block-Size Key - Hash Key First', '60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54'],
		[
			'7',
			hex('aa', 131),
			'This is a test using a larger than block-size key and a larger than block-size data. The key needs to be hashed before being used by the HMAC algorithm.',
			'9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2',
		],
	];

	it.each(rfc4231)('accepts RFC 4231 test case %s and refuses it with any one bit flipped', (_, key, data, mac) => {
		const message = Buffer.from(data);
		expect(signatureMatches(key, message, Buffer.from(mac, 'hex'))).toBe(true);
		for (const bit of [0, 7, 128, 255]) {
			const flipped = Buffer.from(mac, 'hex');
			flipped[bit >> 3] ^= 1 << (bit & 7);
			expect(signatureMatches(key, message, flipped)).toBe(false);
		}
		expect(signatureMatches(key, Buffer.concat([message, Buffer.from(' ')]), Buffer.from(mac, 'hex'))).toBe(false);
	});

	it('never compares a signature of another length (timingSafeEqual would throw; this answers false)', () => {
		const mac = Buffer.from(rfc4231[1][3], 'hex');
		expect(signatureMatches('Jefe', Buffer.from('what do ya want for nothing?'), mac.subarray(0, 31))).toBe(false);
		expect(signatureMatches('Jefe', Buffer.from('what do ya want for nothing?'), Buffer.concat([mac, Buffer.alloc(1)]))).toBe(false);
	});

	it('reads sha256=<hex> and bare hex in either case, and nothing else', () => {
		const mac = rfc4231[1][3];
		const bytes = Buffer.from(mac, 'hex');
		for (const header of [`sha256=${mac}`, mac, mac.toUpperCase(), `SHA256=${mac.toUpperCase()}`, ` sha256=${mac} `]) {
			expect(parseSignature(header), header).toEqual(bytes);
		}
		for (const header of ['', mac.slice(1), `${mac}0`, `sha1=${mac}`, `sha256:${mac}`, `sha256=${mac}, sha256=${mac}`, `${mac.slice(0, 10)} ${mac.slice(10)}`, `v1=${mac}`]) {
			expect(parseSignature(header), header).toBeNull();
		}
	});

	it('signs the timestamp as sent, a dot, then the body bytes untouched', () => {
		expect(signedBytes('0017', Buffer.from([0xff, 0x00, 0x2e]))).toEqual(Buffer.from([0x30, 0x30, 0x31, 0x37, 0x2e, 0xff, 0x00, 0x2e]));
	});
});

// printf '%s' '1764511500.{"ticketId":"T-1001","status":"resolved","slaMet":true,"csat":4.5}' | openssl dgst -sha256 -hmac 'whsec_e2b7c1d94f'
const OPENSSL_SECRET = 'whsec_e2b7c1d94f';
const OPENSSL_TIMESTAMP = 1764511500;
const OPENSSL_BODY = '{"ticketId":"T-1001","status":"resolved","slaMet":true,"csat":4.5}';
const OPENSSL_SIGNATURE = 'ff60d0e87aad2bd30de406b6fa8d445ce4bd634a0f8283f751db621467cd7b85';
// printf '%s' '1764511500.{"ticketId":"T-1001","status":"resolved","slaMet":true,"csat":4.5}' | openssl dgst -sha256
const OPENSSL_SIGNED_SHA256 = '59134e0f3927006fafd6f811f08914f36e3f01a960ffc695b5540a971e366b82';
// The report's fields in the documented order (ticketId, status, providerReference, at, firstResponseAt, resolvedAt,
// slaMet, reopened, csat), absent ones null:
// printf '%s' '["T-1001","resolved",null,null,null,null,true,null,4.5]' | openssl dgst -sha256
const OPENSSL_REPORT_SHA256 = '31db32859948c100241dc3bb31a6e62e9297999047d63cee72fa6c272bd0f920';

const AT = OPENSSL_TIMESTAMP * 1000;

/** A request as n8n hands it over: headers (lower-case names) and the body bytes. The HMAC here is node:crypto's own. */
function signedRequest(
	body: string | Buffer,
	{ timestamp = OPENSSL_TIMESTAMP, secret = OPENSSL_SECRET, headers = {} }: { timestamp?: number; secret?: string; headers?: IncomingHttpHeaders } = {},
) {
	const raw = Buffer.from(body);
	const mac = createHmac('sha256', secret).update(`${timestamp}.`).update(raw).digest('hex');
	return {
		headers: { 'content-type': 'application/json', 'x-callback-timestamp': String(timestamp), 'x-callback-signature': `sha256=${mac}`, ...headers },
		rawBody: raw,
	};
}

const verify = (request: { headers: IncomingHttpHeaders; rawBody: Buffer }, now = AT, limits: CallbackLimits = DEFAULT_CALLBACK_LIMITS) =>
	verifyCallback(request, OPENSSL_SECRET, limits, now);

/** The headers without one of them (names are lower case, as Node hands them over). */
const without = (headers: IncomingHttpHeaders, name: string) => Object.fromEntries(Object.entries(headers).filter(([key]) => key !== name));

const refusalOf = (result: ReturnType<typeof verify>) => ('refusal' in result ? result.refusal : null);

describe('verifying a callback request', () => {
	it('accepts the openssl vector: the report as sent, the receipt hash = SHA-256 of the signed bytes', () => {
		const request = {
			headers: { 'content-type': 'application/json', 'x-callback-timestamp': String(OPENSSL_TIMESTAMP), 'x-callback-signature': OPENSSL_SIGNATURE },
			rawBody: Buffer.from(OPENSSL_BODY),
		};
		const result = verify(request);
		expect(result).toEqual({
			callback: {
				report: { ticketId: 'T-1001', status: 'resolved', slaMet: true, csat: 4.5 },
				callbackId: null,
				reportHash: OPENSSL_REPORT_SHA256,
				timestamp: OPENSSL_TIMESTAMP,
				receiptHash: OPENSSL_SIGNED_SHA256,
			},
		});
		expect(verify({ ...request, headers: { ...request.headers, 'x-callback-signature': `sha256=${OPENSSL_SIGNATURE.toUpperCase()}` } })).toEqual(result);
	});

	it('refuses the openssl vector under another secret, with another timestamp, or with one body byte changed', () => {
		const headers = { 'content-type': 'application/json', 'x-callback-timestamp': String(OPENSSL_TIMESTAMP), 'x-callback-signature': OPENSSL_SIGNATURE };
		expect(refusalOf(verifyCallback({ headers, rawBody: Buffer.from(OPENSSL_BODY) }, 'whsec_e2b7c1d94F', DEFAULT_CALLBACK_LIMITS, AT))).toMatchObject({
			status: 401,
			field: 'X-Callback-Signature',
		});
		expect(refusalOf(verify({ headers: { ...headers, 'x-callback-timestamp': String(OPENSSL_TIMESTAMP + 1) }, rawBody: Buffer.from(OPENSSL_BODY) }))).toMatchObject({
			status: 401,
			field: 'X-Callback-Signature',
		});
		expect(refusalOf(verify({ headers, rawBody: Buffer.from(OPENSSL_BODY.replace('4.5', '1.5')) }))).toMatchObject({ status: 401, field: 'X-Callback-Signature' });
		// The same number written differently is other bytes: the signature covers the bytes, not their meaning.
		expect(refusalOf(verify({ headers, rawBody: Buffer.from(OPENSSL_BODY.replace('4.5', '4.50')) }))).toMatchObject({ status: 401 });
	});

	it('takes a timestamp up to the tolerance either way and refuses one a second beyond, saying how far off it is', () => {
		const request = signedRequest(OPENSSL_BODY);
		expect('callback' in verify(request, AT + 300_000)).toBe(true);
		expect('callback' in verify(request, AT - 300_000)).toBe(true);
		expect(refusalOf(verify(request, AT + 301_000))).toEqual({
			status: 401,
			error: 'X-Callback-Timestamp is 301 s old; at most 300 s either way are accepted: sign with the current time',
			field: 'X-Callback-Timestamp',
		});
		expect(refusalOf(verify(request, AT - 301_000))?.error).toMatch(/^X-Callback-Timestamp is 301 s in the future;/);
		const tight = { ...DEFAULT_CALLBACK_LIMITS, toleranceSeconds: 10 };
		expect('callback' in verify(request, AT + 10_000, tight)).toBe(true);
		expect(refusalOf(verify(request, AT + 11_000, tight))).toMatchObject({ status: 401, field: 'X-Callback-Timestamp' });
	});

	it('requires the timestamp header as Unix seconds, digits only', () => {
		const request = signedRequest(OPENSSL_BODY);
		expect(refusalOf(verify({ ...request, headers: without(request.headers, 'x-callback-timestamp') }))).toMatchObject({ status: 401, field: 'X-Callback-Timestamp' });
		for (const stamp of ['1764511500.0', '-1764511500', '1764511500000000', '1.7645115e9', 'now']) {
			expect(refusalOf(verify({ ...request, headers: { ...request.headers, 'x-callback-timestamp': stamp } })), stamp).toMatchObject({
				status: 401,
				field: 'X-Callback-Timestamp',
			});
		}
	});

	it('requires the signature header', () => {
		const request = signedRequest(OPENSSL_BODY);
		expect(refusalOf(verify({ ...request, headers: without(request.headers, 'x-callback-signature') }))).toMatchObject({ status: 401, field: 'X-Callback-Signature' });
	});

	it('refuses every media type but application/json before reading a field, even correctly signed', () => {
		for (const type of [
			'multipart/form-data; boundary=x',
			'application/x-www-form-urlencoded',
			'text/plain',
			'application/xml',
			'application/json-patch+json',
			'application/json; charset=iso-8859-1',
			'application/json; boundary=x',
		]) {
			const result = refusalOf(verify(signedRequest(OPENSSL_BODY, { headers: { 'content-type': type } })));
			expect(result, type).toMatchObject({ status: 415, field: 'Content-Type' });
		}
		expect(refusalOf(verify({ headers: without(signedRequest(OPENSSL_BODY).headers, 'content-type'), rawBody: Buffer.from(OPENSSL_BODY) }))).toMatchObject({ status: 415, field: 'Content-Type' });
		for (const type of ['Application/JSON', 'application/json; charset=utf-8', 'application/json;charset="UTF-8"']) {
			expect('callback' in verify(signedRequest(OPENSSL_BODY, { headers: { 'content-type': type } })), type).toBe(true);
		}
	});

	it('refuses a compressed body (n8n would hand over other bytes than were signed)', () => {
		expect(refusalOf(verify(signedRequest(OPENSSL_BODY, { headers: { 'content-encoding': 'gzip' } })))).toMatchObject({ status: 415, field: 'Content-Encoding' });
	});

	it('refuses a body over the cap, or one announced over it, with 413; an empty body with 400', () => {
		const big = JSON.stringify({ ticketId: 'T-1', status: 'accepted', providerReference: 'x'.repeat(DEFAULT_CALLBACK_LIMITS.maxBodyBytes) });
		expect(refusalOf(verify(signedRequest(big)))).toMatchObject({ status: 413, field: 'body' });
		expect(refusalOf(verify(signedRequest(OPENSSL_BODY, { headers: { 'content-length': String(1 << 30) } })))).toMatchObject({ status: 413 });
		const exact = { ...DEFAULT_CALLBACK_LIMITS, maxBodyBytes: Buffer.byteLength(OPENSSL_BODY) };
		expect('callback' in verify(signedRequest(OPENSSL_BODY), AT, exact)).toBe(true);
		expect(refusalOf(verify(signedRequest(OPENSSL_BODY), AT, { ...exact, maxBodyBytes: exact.maxBodyBytes - 1 }))).toMatchObject({ status: 413 });
		expect(refusalOf(verify(signedRequest('')))).toMatchObject({ status: 400, field: 'body' });
	});

	it('parses the body from the signed bytes: not JSON, not UTF-8 or not an object is refused', () => {
		expect(refusalOf(verify(signedRequest('{"ticketId":')))).toMatchObject({ status: 400, field: 'body' });
		expect(refusalOf(verify(signedRequest(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x3a, 0x31, 0x7d]))))).toMatchObject({ status: 400, field: 'body' });
		expect(refusalOf(verify(signedRequest('[{"ticketId":"T-1","status":"accepted"}]')))).toMatchObject({ status: 422, field: 'body' });
		expect(refusalOf(verify(signedRequest('"accepted"')))).toMatchObject({ status: 422, field: 'body' });
	});
});

describe('the callback body', () => {
	const body = (fields: Record<string, unknown>, limits = DEFAULT_CALLBACK_LIMITS) => verify(signedRequest(JSON.stringify(fields)), AT, limits);
	const report = (fields: Record<string, unknown>, limits = DEFAULT_CALLBACK_LIMITS) => {
		const result = body(fields, limits);
		if (!('callback' in result)) throw new Error(`refused: ${JSON.stringify(result.refusal)}`);
		return result.callback;
	};

	it('keeps only what was sent: no CSAT, SLA or reopened flag is made up', () => {
		expect(report({ ticketId: 'T-1', status: 'accepted' }).report).toEqual({ ticketId: 'T-1', status: 'accepted' });
		const resolved = report({ ticketId: 'T-1', status: 'resolved', slaMet: false, csat: 0, reopened: false, providerReference: 'BP-1' }).report;
		expect(resolved).toEqual({ ticketId: 'T-1', status: 'resolved', slaMet: false, csat: 0, reopened: false, providerReference: 'BP-1' });
	});

	it('accepts the four vendor statuses only', () => {
		for (const status of ['accepted', 'rejected', 'resolved', 'returned']) expect(report({ ticketId: 'T-1', status }).report.status).toBe(status);
		for (const status of ['pwned', 'handed_off', 'routed', 'handoff_failed', 'Resolved', '', 3, null]) {
			expect(refusalOf(body({ ticketId: 'T-1', status })), String(status)).toMatchObject({ status: 422, field: 'status' });
		}
		expect(refusalOf(body({ ticketId: 'T-1', status: 'pwned' }))?.error).toBe('status must be one of accepted, rejected, resolved, returned');
	});

	it('requires the ticket id and the status, each named when missing', () => {
		expect(refusalOf(body({ status: 'accepted' }))).toEqual({ status: 422, error: 'ticketId is required', field: 'ticketId' });
		expect(refusalOf(body({ ticketId: 'T-1' }))).toEqual({ status: 422, error: 'status is required', field: 'status' });
		expect(refusalOf(body({ ticketId: '  ', status: 'accepted' }))).toMatchObject({ status: 422, field: 'ticketId' });
		expect(refusalOf(body({ ticketId: 'T-\u0000', status: 'accepted' }))?.error).toMatch(/ticketId contains a control character \(U\+0000\)/);
		expect(refusalOf(body({ ticketId: 'T'.repeat(256), status: 'accepted' }))).toMatchObject({ status: 422, field: 'ticketId' });
	});

	it('refuses a field the contract does not have, naming it (vendor, decisionId, scope: not the vendor’s to say)', () => {
		for (const extra of ['vendor', 'decisionId', 'scope', 'errorClass', 'handedOffAt', '__proto__', 'constructor']) {
			expect(refusalOf(body({ ticketId: 'T-1', status: 'accepted', [extra]: 'x' })), extra).toEqual({
				status: 422,
				error: `unknown field "${extra}": send only the documented fields`,
				field: extra,
			});
		}
	});

	it('holds CSAT to 0..scale top and SLA met / reopened to booleans; null is not "absent"', () => {
		expect(report({ ticketId: 'T-1', status: 'resolved', csat: 5 }).report.csat).toBe(5);
		for (const csat of [5.01, -0.5, '4', null, true]) {
			expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', csat })), String(csat)).toMatchObject({ status: 422, field: 'csat' });
		}
		expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', csat: 6 }))?.error).toBe('csat must be a number from 0 to 5');
		expect(report({ ticketId: 'T-1', status: 'resolved', csat: 87 }, { ...DEFAULT_CALLBACK_LIMITS, csatMax: 100 }).report.csat).toBe(87);
		for (const slaMet of ['true', 1, null]) expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', slaMet })), String(slaMet)).toMatchObject({ status: 422, field: 'slaMet' });
		expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', reopened: 'no' }))).toMatchObject({ status: 422, field: 'reopened' });
	});

	it('parses timestamps as ISO 8601 instants with an offset', () => {
		const parsed = report({ ticketId: 'T-1', status: 'resolved', resolvedAt: '2026-11-30T14:05:00+01:00', firstResponseAt: '2026-11-30T09:00:00.250Z', at: '2026-11-30T13:05:00Z' }).report;
		expect(parsed.resolvedAt).toBe(Date.UTC(2026, 10, 30, 13, 5));
		expect(parsed.firstResponseAt).toBe(Date.UTC(2026, 10, 30, 9, 0, 0, 250));
		expect(parsed.at).toBe(Date.UTC(2026, 10, 30, 13, 5));
		// The pattern alone would take any two-digit offset; these are no instant at all, so a bad field (not a ledger fault).
		const impossible = ['2026-11-30T14:05:00+99:99', '2026-11-30T14:05:00+2400', '2026-11-30T14:05:00-24:00', '2026-11-30T14:05:00+12:60'];
		for (const resolvedAt of ['2026-11-30', '2026-11-30T14:05:00', 'yesterday', 1764511500, '2026-13-01T00:00:00Z', ...impossible]) {
			expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', resolvedAt })), String(resolvedAt)).toMatchObject({ status: 422, field: 'resolvedAt' });
		}
		for (const field of ['at', 'firstResponseAt']) {
			expect(refusalOf(body({ ticketId: 'T-1', status: 'resolved', [field]: impossible[0] }))).toEqual({
				status: 422,
				error: `${field} must be an ISO 8601 date-time with an offset, e.g. "2026-11-30T14:05:00Z"`,
				field,
			});
		}
	});

	it('refuses one of our own signed hand-offs replayed as a callback: it is not a callback body', () => {
		// The Signing Secret signs hand-offs to the vendor too (README, Vendor API contract): that body must not pass here.
		const handoff = { ticketId: 'T-1', decisionId: 'd-1', vendor: 'acme', reason: 'specialist', ticket: { id: 'T-1' }, redactions: {} };
		expect(refusalOf(body(handoff))).toMatchObject({ status: 422, field: 'status' });
		expect(refusalOf(body({ ...handoff, status: 'accepted' }))).toMatchObject({ status: 422, field: 'decisionId' });
	});

	it('takes the vendor’s callback id from the signed body', () => {
		expect(report({ ticketId: 'T-1', status: 'accepted', callbackId: 'evt_42' }).callbackId).toBe('evt_42');
		expect(refusalOf(body({ ticketId: 'T-1', status: 'accepted', callbackId: 'x'.repeat(201) }))).toMatchObject({ status: 422, field: 'callbackId' });
	});

	it('hashes what is reported, not how it is written: key order, spacing, escapes and offsets of the same instant do not change it', () => {
		const hashOf = (raw: string) => {
			const result = verify(signedRequest(raw));
			if (!('callback' in result)) throw new Error(JSON.stringify(result.refusal));
			return result.callback.reportHash;
		};
		const first = hashOf('{"ticketId":"T-1","status":"resolved","resolvedAt":"2025-11-30T13:00:00Z","csat":4,"callbackId":"evt-1"}');
		const sameEvent = [
			'{ "csat": 4.0, "resolvedAt": "2025-11-30T14:00:00+01:00", "status": "resolved", "ticketId": "\\u0054-1", "callbackId": "evt-1" }',
			'{"callbackId":"evt-2","ticketId":"T-1","status":"resolved","resolvedAt":"2025-11-30T13:00:00.000Z","csat":4}',
		];
		for (const raw of sameEvent) expect(hashOf(raw), raw).toBe(first);
		const otherEvents = [
			'{"ticketId":"T-1","status":"resolved","resolvedAt":"2025-11-30T13:00:01Z","csat":4}',
			'{"ticketId":"T-1","status":"resolved","resolvedAt":"2025-11-30T13:00:00Z","csat":3}',
			'{"ticketId":"T-1","status":"resolved","resolvedAt":"2025-11-30T13:00:00Z","csat":4,"slaMet":true}',
			'{"ticketId":"T-2","status":"resolved","resolvedAt":"2025-11-30T13:00:00Z","csat":4}',
			'{"ticketId":"T-1","status":"accepted"}',
		];
		const hashes = otherEvents.map(hashOf);
		expect(new Set([first, ...hashes]).size).toBe(otherEvents.length + 1);
	});
});
