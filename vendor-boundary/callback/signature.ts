import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** `sha256=<64 hex>` or the bare 64 hex digits, either case: what vendors' HMAC libraries commonly print. */
const SIGNATURE = /^(?:sha256=)?([0-9a-f]{64})$/i;

/** What the vendor signs: the timestamp header exactly as sent, a dot, then the body bytes exactly as received. */
export function signedBytes(timestamp: string, rawBody: Buffer): Buffer {
	return Buffer.concat([Buffer.from(`${timestamp}.`, 'latin1'), rawBody]);
}

/** The 32 signature bytes a header carries, or null when it is not one signature in a form we accept. */
export function parseSignature(header: string): Buffer | null {
	const match = SIGNATURE.exec(header.trim());
	return match ? Buffer.from(match[1], 'hex') : null;
}

/** HMAC-SHA256 of the signed bytes under the vendor's secret, compared in constant time (equal lengths by construction). */
export function signatureMatches(secret: string | Buffer, signed: Buffer, given: Buffer): boolean {
	const expected = createHmac('sha256', secret).update(signed).digest();
	return given.length === expected.length && timingSafeEqual(given, expected);
}

/** The receipt key of a callback: SHA-256 of its signed bytes. The same bytes again are the same callback. */
export function receiptHash(signed: Buffer): string {
	return createHash('sha256').update(signed).digest('hex');
}
