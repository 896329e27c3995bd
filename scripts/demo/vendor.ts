// A demo vendor for `npm run dev` and the newcomer e2e test: the ticket API a real vendor would run behind the
// Provider Handoff contract (README, "Provider Handoff"), plus a keyword stand-in for a chat model so the AI triage
// template runs without an AI account. Node >= 23.6 runs it as is (scripts/demo/serve-vendor.ts): TypeScript
// with erasable syntax only.
//
//   POST /<vendor>/tickets     Idempotency-Key required; signature checked when the demo runs with a secret;
//                              201 {"id": "<VENDOR>-<n>"}, the same reference again (200) for a repeated key
//   POST /v1/chat/completions  OpenAI-compatible answer: {"intent", "confidence"} from keywords, as JSON text
//   GET  /health, /<vendor>/health   200, for the credential test
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Larger bodies are refused (413): a hand-off is one redacted ticket. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Idempotency keys remembered; the oldest is forgotten first, so a long-running demo stays small. */
const MAX_KEYS = 10_000;
/** The README's tolerance for X-Handoff-Timestamp. */
const TOLERANCE_SECONDS = 300;

export interface DemoVendorOptions {
	/** 0 picks a free port. */
	port?: number;
	/** Signing secret the demo credentials carry; without it signatures are not checked. */
	secret?: string;
	/** One line per request, e.g. console.log; silent by default. */
	log?: (line: string) => void;
}

export interface DemoVendor {
	url: string;
	/** Hand-offs this vendor accepted, in order (the e2e test reads them). */
	accepted: Array<{ vendor: string; ticketId: string; reference: string; replay: boolean }>;
	close(): Promise<void>;
}

/**
 * Verifies `X-Handoff-Signature` as the README tells vendors to: `sha256=` + hex HMAC-SHA256 over
 * "<timestamp>.<raw body>", constant-time compare, timestamp within 5 minutes of our clock.
 */
export function signatureValid(secret: string, timestamp: string | undefined, signature: string | undefined, body: string, nowMs = Date.now()): boolean {
	if (!timestamp || !/^\d{1,12}$/.test(timestamp) || !signature) return false;
	if (Math.abs(nowMs / 1000 - Number(timestamp)) > TOLERANCE_SECONDS) return false;
	const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
	const given = Buffer.from(signature);
	return expected.length === given.length && timingSafeEqual(expected, given);
}

/** The stand-in "model": the first topic whose keyword occurs in the text, else `other` with low confidence. */
export function classify(text: string): { intent: string; confidence: number } {
	const lower = text.toLowerCase();
	const topics: Array<[string, string[]]> = [
		['account_access', ['log in', 'login', 'locked out', 'password', 'account takeover']],
		['refund', ['refund', 'charged twice', 'double charge', 'chargeback']],
		['billing_question', ['invoice', 'billing', 'payment']],
		['bug', ['error', 'crash', 'fails', 'broken', 'bug']],
	];
	for (const [intent, words] of topics) if (words.some((word) => lower.includes(word))) return { intent, confidence: 0.92 };
	return { intent: 'other', confidence: 0.4 };
}

export async function startDemoVendor(options: DemoVendorOptions = {}): Promise<DemoVendor> {
	const log = options.log ?? (() => undefined);
	const references = new Map<string, string>();
	const counters = new Map<string, number>();
	const accepted: DemoVendor['accepted'] = [];

	const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
		const path = new URL(req.url ?? '/', 'http://demo').pathname;
		if (req.method === 'GET' && /^(\/[a-z0-9_-]{1,64})?\/health$/i.test(path)) return send(res, 200, { ok: true });
		if (req.method !== 'POST') return send(res, 405, { message: 'POST only' });
		const body = await readBody(req);
		if (body === null) return send(res, 413, { message: `body larger than ${MAX_BODY_BYTES} bytes` });
		let json: Record<string, unknown>;
		try {
			json = JSON.parse(body) as Record<string, unknown>;
		} catch {
			return send(res, 400, { message: 'body must be JSON' });
		}

		if (path === '/v1/chat/completions') return send(res, 200, chatCompletion(json));

		const match = /^\/([a-z0-9][a-z0-9_-]{0,63})\/tickets$/i.exec(path);
		if (!match) return send(res, 404, { message: `no route ${path}` });
		const vendor = match[1];
		const ticketId = typeof json.ticketId === 'string' ? json.ticketId : '';
		if (!ticketId) return send(res, 400, { message: 'ticketId is required' });
		if (json.vendor !== undefined && json.vendor !== vendor) {
			return send(res, 409, { message: `ticket ${ticketId} is for ${String(json.vendor)}, this endpoint is ${vendor}` });
		}
		if (options.secret && !signatureValid(options.secret, header(req, 'x-handoff-timestamp'), header(req, 'x-handoff-signature'), body)) {
			log(`${vendor} ✗ ${ticketId}: bad or missing signature → 401`);
			return send(res, 401, { message: 'bad signature' });
		}
		const key = header(req, 'idempotency-key');
		if (!key) return send(res, 400, { message: 'Idempotency-Key header is required' });

		const known = references.get(`${vendor}\n${key}`);
		const reference = known ?? `${vendor.toUpperCase()}-${(counters.get(vendor) ?? 0) + 1}`;
		if (!known) {
			counters.set(vendor, (counters.get(vendor) ?? 0) + 1);
			references.set(`${vendor}\n${key}`, reference);
			if (references.size > MAX_KEYS) references.delete(references.keys().next().value!);
		}
		accepted.push({ vendor, ticketId, reference, replay: !!known });
		log(`${vendor} ← ${ticketId} → ${reference}${known ? ' (repeated key: same reference, nothing created)' : ''}`);
		send(res, known ? 200 : 201, { id: reference, status: known ? 'existing' : 'created' });
	};

	const server: Server = createServer((req, res) => {
		handle(req, res).catch((error: unknown) => {
			log(`error: ${String(error)}`);
			if (!res.headersSent) send(res, 500, { message: 'demo vendor error' });
		});
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		accepted,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

/** An OpenAI chat completion whose content is the JSON the Information Extractor asks for. */
function chatCompletion(request: Record<string, unknown>): Record<string, unknown> {
	const messages = Array.isArray(request.messages) ? (request.messages as Array<{ role?: string; content?: unknown }>) : [];
	const lastUser = [...messages].reverse().find((message) => message.role === 'user');
	const text = typeof lastUser?.content === 'string' ? lastUser.content : JSON.stringify(lastUser?.content ?? '');
	const content = JSON.stringify(classify(text));
	return {
		id: `chatcmpl-demo-${Date.now()}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model: String(request.model ?? 'demo'),
		choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
		usage: { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 },
	};
}

async function readBody(req: IncomingMessage): Promise<string | null> {
	const chunks: Buffer[] = [];
	let size = 0;
	for await (const chunk of req) {
		size += (chunk as Buffer).length;
		if (size > MAX_BODY_BYTES) return null;
		chunks.push(chunk as Buffer);
	}
	return Buffer.concat(chunks).toString('utf8');
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name];
	return Array.isArray(value) ? value[0] : value;
}

function send(res: ServerResponse, status: number, body: unknown): void {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}
