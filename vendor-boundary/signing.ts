import { createHash, createHmac } from 'node:crypto';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const TIMESTAMP_HEADER = 'X-Handoff-Timestamp';
export const SIGNATURE_HEADER = 'X-Handoff-Signature';

/**
 * The key names one decision: a re-run, a retry or a crashed execution's retry of the same decision sends the same
 * key (a vendor that honours Idempotency-Key creates one ticket), while a re-delegation after the vendor returned the
 * ticket is a new decision and so a new key (an honest vendor must not answer it with the old ticket).
 */
export function idempotencyKey(policyScope: string, ticketId: string, vendor: string, decisionId: string): string {
	return createHash('sha256').update(JSON.stringify([policyScope, ticketId, vendor, decisionId])).digest('hex');
}

/** Lower-case hex HMAC-SHA256 (RFC 2104 with SHA-256, as RFC 4231 tests it). */
export function hmacSha256Hex(key: string | Buffer, message: string | Buffer): string {
	return createHmac('sha256', key).update(message).digest('hex');
}

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, timestamp in Unix seconds. */
export function signature(secret: string, timestamp: number, body: string): string {
	return 'sha256=' + hmacSha256Hex(secret, `${timestamp}.${body}`);
}

export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
	const timestamp = Math.floor(nowMs / 1000);
	return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signature(secret, timestamp, body) };
}
