import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

/** `sha256=<hex HMAC-SHA256 of "<timestamp>.<body>">`, timestamp in Unix seconds. */
export function signature(secret: string, timestamp: number, body: string): string {
	return 'sha256=' + createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
}

export function signatureHeaders(secret: string, body: string, nowMs: number): Record<string, string> {
	const timestamp = Math.floor(nowMs / 1000);
	return { [TIMESTAMP_HEADER]: String(timestamp), [SIGNATURE_HEADER]: signature(secret, timestamp, body) };
}

/** What a receiving vendor runs: constant-time compare, and reject stale timestamps (replays). */
export function verifySignature(
	secret: string,
	headers: { timestamp: string | undefined; signature: string | undefined },
	body: string,
	nowMs: number,
	toleranceSeconds = 300,
): boolean {
	const timestamp = Number(headers.timestamp);
	if (!Number.isInteger(timestamp) || !headers.signature) return false;
	if (Math.abs(nowMs / 1000 - timestamp) > toleranceSeconds) return false;
	const expected = Buffer.from(signature(secret, timestamp, body));
	const given = Buffer.from(headers.signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}
