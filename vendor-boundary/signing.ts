import { createHash, createHmac } from 'node:crypto';

export const IDEMPOTENCY_HEADER = 'Idempotency-Key';
export const TIMESTAMP_HEADER = 'X-Handoff-Timestamp';
export const SIGNATURE_HEADER = 'X-Handoff-Signature';

/**
 * The same (scope, ticket, vendor) always gives the same key, so a re-run, a retry or a second execution
 * can never create a second ticket at a vendor that honours Idempotency-Key.
 */
export function idempotencyKey(policyScope: string, ticketId: string, vendor: string): string {
	return createHash('sha256').update(JSON.stringify([policyScope, ticketId, vendor])).digest('hex');
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
