import type { IncomingHttpHeaders } from 'node:http';

import { refusal, type CallbackRefusal } from '../../domain/callback/refusal';
import { readCallbackBody, type CallbackBody } from './body';
import { envelopeRefusal, headerText } from './envelope';
import { CALLBACK_SIGNATURE_HEADER, CALLBACK_TIMESTAMP_HEADER } from './headers';
import { parseSignature, receiptHash, signatureMatches, signedBytes } from './signature';

export interface CallbackLimits {
	/** How far the timestamp header may be from our clock, either way (seconds). */
	toleranceSeconds: number;
	maxBodyBytes: number;
	/** Top of the CSAT scale (0 to this). */
	csatMax: number;
}

export const DEFAULT_CALLBACK_LIMITS: CallbackLimits = { toleranceSeconds: 300, maxBodyBytes: 65_536, csatMax: 5 };

/** A callback that proved it comes from the vendor, with its parsed body. */
export interface VerifiedCallback extends CallbackBody {
	/** Unix seconds, as signed. */
	timestamp: number;
	/** SHA-256 of the signed bytes: the receipt key that makes a replay of the same bytes recognisable. */
	receiptHash: string;
}

/** Unix seconds: at most 12 digits, so no float rounding and no 10^300 "timestamp". */
const TIMESTAMP = /^\d{1,12}$/;

/**
 * Checks a vendor callback in the order that reads least before the vendor is proven: the envelope (media type,
 * encoding, size), the timestamp window, the HMAC over `<timestamp>.<raw body>` — and only then parses the body,
 * from those same raw bytes (never from what n8n parsed: for a form or multipart request that is other data).
 */
export function verifyCallback(
	request: { headers: IncomingHttpHeaders; rawBody: Buffer | undefined },
	secret: string,
	limits: CallbackLimits,
	nowMs: number,
): { callback: VerifiedCallback } | { refusal: CallbackRefusal } {
	const envelope = envelopeRefusal(request.headers, request.rawBody, limits.maxBodyBytes);
	if (envelope) return { refusal: envelope };
	const rawBody = request.rawBody!;

	const stamp = headerText(request.headers, CALLBACK_TIMESTAMP_HEADER)?.trim();
	if (!stamp) return { refusal: refusal(401, `${CALLBACK_TIMESTAMP_HEADER} is missing: send the Unix time in seconds you signed with`, CALLBACK_TIMESTAMP_HEADER) };
	if (!TIMESTAMP.test(stamp)) return { refusal: refusal(401, `${CALLBACK_TIMESTAMP_HEADER} must be Unix seconds (digits only)`, CALLBACK_TIMESTAMP_HEADER) };
	const timestamp = Number(stamp);
	const skew = timestamp - Math.floor(nowMs / 1000);
	if (Math.abs(skew) > limits.toleranceSeconds) {
		const when = skew < 0 ? `${-skew} s old` : `${skew} s in the future`;
		return {
			refusal: refusal(401, `${CALLBACK_TIMESTAMP_HEADER} is ${when}; at most ${limits.toleranceSeconds} s either way are accepted: sign with the current time`, CALLBACK_TIMESTAMP_HEADER),
		};
	}

	const given = parseSignature(headerText(request.headers, CALLBACK_SIGNATURE_HEADER) ?? '');
	if (!given) return { refusal: refusal(401, `${CALLBACK_SIGNATURE_HEADER} must be sha256=<64 hex digits> (or the bare hex)`, CALLBACK_SIGNATURE_HEADER) };
	const signed = signedBytes(stamp, rawBody);
	if (!signatureMatches(secret, signed, given)) {
		return { refusal: refusal(401, `${CALLBACK_SIGNATURE_HEADER} does not match: sign "<timestamp>.<body bytes>" with HMAC-SHA256 and your signing secret`, CALLBACK_SIGNATURE_HEADER) };
	}

	let json: unknown;
	try {
		json = JSON.parse(new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(rawBody));
	} catch {
		return { refusal: refusal(400, 'the body is not UTF-8 JSON', 'body') };
	}
	const read = readCallbackBody(json, limits.csatMax);
	if ('refusal' in read) return read;
	return { callback: { ...read.body, timestamp, receiptHash: receiptHash(signed) } };
}
