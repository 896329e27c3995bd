import type { IncomingHttpHeaders } from 'node:http';

import { refusal, type CallbackRefusal } from '../../domain/callback/refusal';

/** One header's value as text (Node joins repeated custom headers with ", "), or undefined when absent. */
export function headerText(headers: IncomingHttpHeaders, name: string): string | undefined {
	const value = headers[name.toLowerCase()];
	return Array.isArray(value) ? value.join(', ') : value;
}

/** `application/json`, optionally with `charset=utf-8`: the only body whose bytes are the fields we read. */
function contentTypeProblem(contentType: string | undefined): string | null {
	if (contentType === undefined) return 'Content-Type is missing; send application/json';
	const [type, ...params] = contentType.split(';').map((part) => part.trim().toLowerCase());
	if (type !== 'application/json') return `Content-Type must be application/json, got "${type}"`;
	for (const param of params) {
		if (param === '') continue;
		const [key, value = ''] = param.split('=').map((part) => part.trim());
		if (key !== 'charset' || value.replace(/^"|"$/g, '') !== 'utf-8') {
			return `Content-Type must be application/json (charset=utf-8 at most), got parameter "${param}"`;
		}
	}
	return null;
}

/**
 * Refuses, before a single field is read, every request whose raw bytes are not the JSON document we verify and parse:
 * another media type (multipart and form bodies are what n8n splits into fields and files), a compressed body (n8n
 * would hand over other bytes than were sent), or more than `maxBodyBytes`.
 */
export function envelopeRefusal(headers: IncomingHttpHeaders, rawBody: Buffer | undefined, maxBodyBytes: number): CallbackRefusal | null {
	const type = contentTypeProblem(headerText(headers, 'content-type'));
	if (type) return refusal(415, type, 'Content-Type');
	const encoding = headerText(headers, 'content-encoding')?.trim().toLowerCase();
	if (encoding && encoding !== 'identity') return refusal(415, `Content-Encoding "${encoding}" is not accepted; send the JSON uncompressed`, 'Content-Encoding');
	const declared = Number(headerText(headers, 'content-length'));
	const size = rawBody?.length ?? 0;
	if (size > maxBodyBytes || (Number.isFinite(declared) && declared > maxBodyBytes)) {
		return refusal(413, `the body is ${Math.max(size, declared || 0)} bytes; at most ${maxBodyBytes} are accepted`, 'body');
	}
	if (size === 0) return refusal(400, 'the body is empty; send the outcome as a JSON object', 'body');
	return null;
}
