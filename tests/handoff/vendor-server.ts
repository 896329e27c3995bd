import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';


/** What the vendor does to the next request for a ticket, instead of answering normally. */
export type Fault =
	| { kind: 'status'; status: number; body?: string; retryAfter?: string }
	/** Creates the ticket, then answers only after `ms` (longer than the client's timeout = a lost answer). */
	| { kind: 'slow'; ms: number }
	/** Destroys the socket before answering; nothing is created. */
	| { kind: 'reset' }
	/** Creates the ticket and answers 201 with a body that is not JSON. */
	| { kind: 'malformed' }
	/** Creates the ticket, sends the 201 headers at once, then its JSON body one byte every `intervalMs`. */
	| { kind: 'drip'; intervalMs: number }
	/** Answers `status` with every request header echoed back in the error body (a vendor that logs too much). */
	| { kind: 'echo'; status: number };

export interface Received {
	method: string;
	path: string;
	headers: IncomingMessage['headers'];
	body: string;
	ticketId: string | null;
	signatureValid: boolean | null;
}

/**
 * A vendor API on 127.0.0.1 with a random port, for tests and benchmarks: honours Idempotency-Key (a repeated
 * key gets the first reference back and creates nothing), verifies signatures, injects faults per ticket, and
 * keeps everything it received so tests can count deliveries and look for PII.
 */
export class VendorServer {
	readonly received: Received[] = [];
	/** Idempotency-Key → reference: the tickets this vendor really created. */
	readonly created = new Map<string, string>();
	/** Ticket id → how many tickets were created for it (must never exceed 1). */
	readonly createdPerTicket = new Map<string, number>();
	private readonly faults = new Map<string, Fault[]>();
	private readonly sockets = new Set<import('node:net').Socket>();
	private server: Server | null = null;
	private sequence = 0;
	keepReceived = true;

	/** Called once each answer has been handed to the socket, with the request it answered (the crash test kills here). */
	onAnswered: ((request: Received) => void) | null = null;
	/** Called when a ticket has been created (or replayed), right before its answer is written. */
	beforeAnswer: ((request: Received) => void) | null = null;

	constructor(private readonly options: { secret?: string; referenceField?: string } = {}) {}

	get url(): string {
		const address = this.server?.address() as AddressInfo | null;
		if (!address) throw new Error('vendor server not started');
		return `http://127.0.0.1:${address.port}`;
	}

	/** Faults applied, in order, to the next requests carrying this ticket id. */
	plan(ticketId: string, ...faults: Fault[]) {
		this.faults.set(ticketId, [...(this.faults.get(ticketId) ?? []), ...faults]);
	}

	/** Requests for ticket ids, in arrival order. */
	requestsFor(ticketId: string): Received[] {
		return this.received.filter((r) => r.ticketId === ticketId);
	}

	async start(): Promise<this> {
		this.server = createServer((req, res) => void this.handle(req, res));
		this.server.keepAliveTimeout = 5_000;
		this.server.on('connection', (socket) => {
			this.sockets.add(socket);
			socket.on('close', () => this.sockets.delete(socket));
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		return this;
	}

	async stop() {
		for (const socket of this.sockets) socket.destroy();
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
		this.server = null;
	}

	private async handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const chunk of req) chunks.push(chunk as Buffer);
		const body = Buffer.concat(chunks).toString('utf8');
		const path = req.url ?? '/';

		if (req.method === 'GET' && path === '/health') return json(res, 200, { ok: true });

		let ticketId: string | null = null;
		try {
			ticketId = (JSON.parse(body) as { ticketId?: string }).ticketId ?? null;
		} catch {
			// Recorded as received; answered 400 below.
		}
		const signatureValid = this.options.secret
			? vendorVerifies(this.options.secret, header(req, 'x-handoff-timestamp'), header(req, 'x-handoff-signature'), body)
			: null;
		const received: Received = { method: req.method ?? '', path, headers: req.headers, body, ticketId, signatureValid };
		if (this.keepReceived) this.received.push(received);
		res.on('finish', () => this.onAnswered?.(received));

		if (!ticketId) return json(res, 400, { message: 'body must be JSON with a ticketId' });
		if (signatureValid === false) return json(res, 401, { message: 'bad signature' });
		const key = header(req, 'idempotency-key');
		if (!key) return json(res, 400, { message: 'Idempotency-Key header is required' });

		const fault = this.faults.get(ticketId)?.shift();
		if (fault?.kind === 'reset') {
			req.socket.destroy();
			return;
		}
		if (fault?.kind === 'echo') {
			const said = Object.entries(req.headers).map(([k, v]) => `${k}: ${String(v)}`).join('; ');
			return json(res, fault.status, { message: `invalid request (${said})`, detail: body });
		}
		if (fault?.kind === 'status') {
			if (fault.retryAfter !== undefined) res.setHeader('Retry-After', fault.retryAfter);
			res.writeHead(fault.status, { 'Content-Type': 'application/json' });
			res.end(fault.body ?? JSON.stringify({ message: `injected ${fault.status}` }));
			return;
		}

		const replay = this.created.has(key);
		const reference = this.created.get(key) ?? this.create(key, ticketId);
		if (fault?.kind === 'slow') await new Promise((resolve) => setTimeout(resolve, fault.ms));
		if (res.destroyed) return;
		if (fault?.kind === 'malformed') {
			res.writeHead(201, { 'Content-Type': 'application/json' });
			res.end('{"id": "' + reference + '", oops');
			return;
		}
		this.beforeAnswer?.(received);
		const field = this.options.referenceField ?? 'id';
		if (fault?.kind === 'drip') return drip(res, JSON.stringify({ [field]: reference, status: 'created' }), fault.intervalMs);
		json(res, replay ? 200 : 201, { [field]: reference, status: replay ? 'existing' : 'created' });
	}

	private create(key: string, ticketId: string): string {
		const reference = `VND-${++this.sequence}`;
		this.created.set(key, reference);
		this.createdPerTicket.set(ticketId, (this.createdPerTicket.get(ticketId) ?? 0) + 1);
		return reference;
	}
}

/** Headers now, then the body a byte at a time: never idle long enough for an idle timeout to fire. */
function drip(res: ServerResponse, body: string, intervalMs: number) {
	res.writeHead(201, { 'Content-Type': 'application/json', 'Content-Length': String(Buffer.byteLength(body)) });
	let sent = 0;
	const timer = setInterval(() => {
		if (res.destroyed || sent >= body.length) {
			clearInterval(timer);
			if (!res.destroyed) res.end();
			return;
		}
		res.write(body[sent++]);
	}, intervalMs);
	res.on('close', () => clearInterval(timer));
}

function header(req: IncomingMessage, name: string): string | undefined {
	const value = req.headers[name.toLowerCase()];
	return Array.isArray(value) ? value[0] : value;
}

function json(res: ServerResponse, status: number, body: unknown) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify(body));
}

/**
 * What a vendor following the README runs, written from the README's contract rather than the package's signer:
 * HMAC-SHA256 over "<timestamp>.<body>", `sha256=<hex>`, constant-time compare, 5-minute tolerance.
 */
export function vendorVerifies(secret: string, timestamp: string | undefined, given: string | undefined, body: string): boolean {
	if (!timestamp || !/^\d+$/.test(timestamp) || !given) return false;
	if (Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
	const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`);
	const actual = Buffer.from(given);
	return expected.length === actual.length && timingSafeEqual(expected, actual);
}
