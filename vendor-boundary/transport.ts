import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';

import { readPath } from '../domain/ticket/path';
import type { RetryPolicy } from './retry';
import { backoffDelay, parseRetryAfter } from './retry';
import { CredentialScrubber } from './scrub';
import { IDEMPOTENCY_HEADER, signatureHeaders } from './signing';

export type DeliveryErrorClass =
	| 'timeout'
	/** Nothing was sent: the connection could not be made. */
	| 'network'
	/** The connection broke after the request went out: the vendor may have it. */
	| 'connection_lost'
	/** 409: the vendor is still working on an earlier request with this Idempotency-Key. */
	| 'in_flight'
	| 'rate_limited'
	| 'server_error'
	| 'client_error'
	| 'redirect'
	| 'response_too_large'
	| 'malformed_response';

/** Every header of a hand-off request: the endpoint's (authentication), JSON, the Idempotency-Key, the signature. */
export function requestHeaders(endpoint: VendorEndpoint, body: string, key: string, nowMs: number): Record<string, string> {
	return {
		...endpoint.headers,
		'Content-Type': 'application/json',
		Accept: 'application/json',
		[IDEMPOTENCY_HEADER]: key,
		...(endpoint.signingSecret ? signatureHeaders(endpoint.signingSecret, body, nowMs) : {}),
	};
}

/** Worth another attempt with the same Idempotency-Key: the vendor may not have the ticket, or will replay. */
const RETRYABLE: ReadonlySet<DeliveryErrorClass> = new Set([
	'timeout',
	'network',
	'connection_lost',
	'in_flight',
	'rate_limited',
	'server_error',
	'malformed_response',
]);

/** Answers after which the vendor may hold the ticket (it may have created it before the answer was lost or refused). */
export const IN_DOUBT: ReadonlySet<DeliveryErrorClass> = new Set(['timeout', 'connection_lost', 'in_flight', 'response_too_large']);

/** Connection errors that mean the request never left: safe to call failed rather than in doubt. */
const NOT_CONNECTED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);

export interface VendorEndpoint {
	baseUrl: string;
	method: 'POST' | 'PUT' | 'PATCH';
	/** May contain {vendor}. */
	path: string;
	/** Authentication and any fixed headers. */
	headers: Record<string, string>;
	signingSecret: string | null;
	/** Dotted path of the vendor's ticket reference in the JSON response. */
	referenceField: string;
	/** Credential values (API key, token, password, signing secret): scrubbed from everything the vendor says. */
	credentialValues: readonly string[];
}

export interface TransportOptions {
	/** Total time one attempt may take, from sending to the last byte of the answer. */
	timeoutMs: number;
	maxResponseBytes: number;
	concurrency: number;
	retry: RetryPolicy;
}

export type DeliveryResult =
	| { ok: true; providerReference: string; httpStatus: number; attempts: number }
	| {
			ok: false;
			errorClass: DeliveryErrorClass;
			httpStatus: number | null;
			/** What went wrong, in our words. */
			message: string;
			/** What the vendor said, if it said anything readable. */
			vendorMessage: string | null;
			attempts: number;
	  };

type Attempt = DeliveryResult & { retryAfterMs?: number | null };
type Failure = Extract<Attempt, { ok: false }>;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * One vendor's HTTP client for one execution: keep-alive sockets bounded by the concurrency, no redirects
 * (a redirected POST is a hand-off to somewhere nobody approved), a response size cap, and the proxy from
 * the environment (HTTP(S)_PROXY / NO_PROXY, which axios reads itself). Close it when the batch is done.
 */
export class VendorTransport {
	private readonly client: AxiosInstance;
	private readonly agents: { http: http.Agent; https: https.Agent };
	private readonly scrubber: CredentialScrubber;

	constructor(
		private readonly endpoint: VendorEndpoint,
		private readonly options: TransportOptions,
	) {
		const maxSockets = Math.max(1, options.concurrency);
		this.agents = {
			http: new http.Agent({ keepAlive: true, maxSockets }),
			https: new https.Agent({ keepAlive: true, maxSockets }),
		};
		this.scrubber = new CredentialScrubber([...endpoint.credentialValues, ...Object.values(endpoint.headers), endpoint.signingSecret ?? '']);
		// No axios `timeout`: it measures idle gaps only, so a vendor dripping a byte at a time never trips it. Each
		// attempt has a deadline of its own instead (see attempt).
		this.client = axios.create({
			baseURL: endpoint.baseUrl,
			maxRedirects: 0,
			maxContentLength: options.maxResponseBytes,
			maxBodyLength: Infinity,
			responseType: 'text',
			transformResponse: [(data: unknown) => data],
			validateStatus: () => true,
			httpAgent: this.agents.http,
			httpsAgent: this.agents.https,
		});
	}

	pathFor(vendor: string): string {
		return this.endpoint.path.replace(/\{vendor\}/g, encodeURIComponent(vendor));
	}

	/**
	 * Sends one ticket body, retrying what is worth retrying; never throws. The answer is the strongest any attempt
	 * got, not only the last: once one attempt was a 2xx the vendor took the ticket, and once one was in doubt the
	 * vendor may hold it, whatever a retry then answers (a 503, a refused connection, a long Retry-After).
	 */
	async deliver(vendor: string, body: string, key: string): Promise<DeliveryResult> {
		const { retry } = this.options;
		let strongest: Failure | null = null;
		const end = (last: Attempt): DeliveryResult => {
			const kept = strongest;
			return strip(last.ok || kept === null ? last : earlier(kept, last));
		};
		for (let attempt = 1; ; attempt++) {
			const result = await this.attempt(vendor, body, key, attempt);
			if (!result.ok && strength(result) > (strongest ? strength(strongest) : 0)) strongest = result;
			if (result.ok || !RETRYABLE.has(result.errorClass) || attempt > retry.maxRetries) return end(result);
			let wait = backoffDelay(attempt, retry, Math.random);
			if (result.retryAfterMs != null) {
				if (result.retryAfterMs > retry.maxDelayMs) {
					return end({
						...result,
						message: `${result.message}; the vendor asked to wait ${Math.ceil(result.retryAfterMs / 1000)} s, longer than the maximum retry delay`,
					});
				}
				wait = Math.max(wait, result.retryAfterMs);
			}
			await sleep(wait);
		}
	}

	close() {
		this.agents.http.destroy();
		this.agents.https.destroy();
	}

	private async attempt(vendor: string, body: string, key: string, attempt: number): Promise<Attempt> {
		const headers = requestHeaders(this.endpoint, body, key, Date.now());
		// The deadline covers the whole exchange: connecting, a slow first byte and a slow body alike.
		const deadline = new AbortController();
		const timer = setTimeout(() => deadline.abort(), this.options.timeoutMs);
		let response: AxiosResponse<string>;
		try {
			response = await this.client.request<string>({
				method: this.endpoint.method,
				url: this.pathFor(vendor),
				data: body,
				headers,
				signal: deadline.signal,
			});
		} catch (error) {
			if (deadline.signal.aborted) return fail('timeout', null, `No complete answer from the vendor within ${this.options.timeoutMs} ms`, null, attempt);
			return this.scrubbed(transportFailure(error, attempt, this.options));
		} finally {
			clearTimeout(timer);
		}
		return this.scrubbed(this.interpret(response, attempt));
	}

	/** Every word that reaches an item, an error or a log passes through here first. */
	private scrubbed(result: Attempt): Attempt {
		if (result.ok) return { ...result, providerReference: this.scrubber.scrub(result.providerReference) };
		return { ...result, message: this.scrubber.scrub(result.message), vendorMessage: this.scrubber.scrub(result.vendorMessage) };
	}

	private interpret(response: AxiosResponse<string>, attempts: number): Attempt {
		const status = response.status;
		// Scrubbed before any excerpt is cut: a credential cut in half by the excerpt would no longer be found.
		const text = this.scrubber.scrub(typeof response.data === 'string' ? response.data : '');
		if (status >= 200 && status < 300) {
			let parsed: unknown;
			try {
				parsed = JSON.parse(text);
			} catch {
				return fail('malformed_response', status, `Vendor answered ${status} with a body that is not JSON`, snippet(text), attempts);
			}
			const reference = readPath(parsed, this.endpoint.referenceField);
			if (typeof reference === 'string' && reference !== '') return { ok: true, providerReference: reference, httpStatus: status, attempts };
			if (typeof reference === 'number') return { ok: true, providerReference: String(reference), httpStatus: status, attempts };
			return fail('malformed_response', status, `Vendor answered ${status} without a reference at "${this.endpoint.referenceField}"`, null, attempts);
		}
		const vendorMessage = messageFrom(text, this.scrubber);
		const said = vendorMessage ? `: ${vendorMessage}` : '';
		if (status === 429) {
			return {
				...fail('rate_limited', status, `Vendor rate-limited the hand-off (429)${said}`, vendorMessage, attempts),
				retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
			};
		}
		if (status >= 500) {
			return {
				...fail('server_error', status, `Vendor failed with ${status}${said}`, vendorMessage, attempts),
				retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
			};
		}
		if (status === 409) {
			return {
				...fail('in_flight', status, `Vendor is still processing an earlier request for this ticket (409)${said}`, vendorMessage, attempts),
				retryAfterMs: parseRetryAfter(response.headers['retry-after'], Date.now()),
			};
		}
		if (status >= 300 && status < 400) {
			return fail('redirect', status, `Vendor answered ${status} (redirects are not followed for hand-offs)`, vendorMessage, attempts);
		}
		return fail('client_error', status, `Vendor refused the ticket with ${status}${said}`, vendorMessage, attempts);
	}
}

function fail(errorClass: DeliveryErrorClass, httpStatus: number | null, message: string, vendorMessage: string | null, attempts: number): Attempt {
	return { ok: false, errorClass, httpStatus, message, vendorMessage, attempts };
}

const isTaken = (a: Attempt) => a.httpStatus !== null && a.httpStatus >= 200 && a.httpStatus < 300;

/** 2: the vendor took the ticket (a 2xx, even one we could not read); 1: it may hold it; 0: it does not. */
function strength(a: Failure): number {
	return isTaken(a) ? 2 : IN_DOUBT.has(a.errorClass) ? 1 : 0;
}

/** A later attempt's failure does not undo what an earlier one established: that attempt's answer, with the later one's words. */
function earlier(strongest: Failure, last: Failure): Attempt {
	if (strength(strongest) <= strength(last)) return last;
	return { ...strongest, attempts: last.attempts, message: `${strongest.message} (attempt ${strongest.attempts}); a later attempt: ${last.message}` };
}

function strip(result: Attempt): DeliveryResult {
	if (result.ok) return result;
	const rest = { ...result };
	delete rest.retryAfterMs;
	return rest;
}

function transportFailure(error: unknown, attempts: number, options: TransportOptions): Attempt {
	const e = error as { code?: string; message?: string };
	const code = e.code ?? '';
	const message = e.message ?? String(error);
	if (/maxContentLength/i.test(message)) {
		return fail('response_too_large', null, `Vendor response is larger than ${options.maxResponseBytes} bytes`, null, attempts);
	}
	if (code === 'ECONNABORTED' || code === 'ETIMEDOUT' || /timeout/i.test(message)) {
		return fail('timeout', null, `No answer from the vendor within ${options.timeoutMs} ms`, null, attempts);
	}
	if (NOT_CONNECTED.has(code)) return fail('network', null, `Could not reach the vendor: ${code} ${message}`, null, attempts);
	return fail('connection_lost', null, `The connection to the vendor broke before its answer: ${code ? `${code} ` : ''}${message}`, null, attempts);
}

/** The vendor's own words, from the usual error shapes, else the start of its body. */
function messageFrom(text: string, scrubber: CredentialScrubber): string | null {
	if (!text) return null;
	try {
		const body = JSON.parse(text) as Record<string, unknown>;
		for (const path of ['message', 'error.message', 'error_description', 'error', 'errors.0.message', 'detail', 'title', 'description']) {
			const value = readPath(body, path);
			// Decoded, then scrubbed before the excerpt: an escape the raw text hid (`\u0074ok…`) is plain here.
			if (typeof value === 'string' && value) return snippet(scrubber.scrub(value));
		}
	} catch {
		// Not JSON: fall through to the raw text.
	}
	return snippet(text);
}

function snippet(text: string): string | null {
	const trimmed = text.trim();
	if (!trimmed) return null;
	return trimmed.length > 300 ? `${trimmed.slice(0, 300)}…` : trimmed;
}
