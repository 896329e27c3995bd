import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';

export interface VendorRequest {
	method: string;
	path: string;
	headers: IncomingHttpHeaders;
	body: Record<string, unknown>;
}

/**
 * A vendor's ticket API on 127.0.0.1: answers 201 with its own reference, and replays the same reference for a
 * repeated Idempotency-Key, as a well-behaved provider does. Records every request for assertions.
 */
export class MockVendor {
	readonly requests: VendorRequest[] = [];
	private readonly references = new Map<string, string>();
	private server?: Server;
	url = '';

	async start(): Promise<this> {
		this.server = createServer((req, res) => {
			let raw = '';
			req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
			req.on('end', () => {
				let body: Record<string, unknown> = {};
				try {
					body = raw ? JSON.parse(raw) : {};
				} catch {
					res.writeHead(400).end('{"error":"invalid JSON"}');
					return;
				}
				this.requests.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
				const key = String(req.headers['idempotency-key'] ?? `anon-${this.requests.length}`);
				let reference = this.references.get(key);
				if (!reference) {
					reference = `VEN-${String(this.references.size + 1).padStart(5, '0')}`;
					this.references.set(key, reference);
				}
				res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id: reference, status: 'accepted' }));
			});
		});
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		const address = this.server.address();
		if (!address || typeof address === 'string') throw new Error('mock vendor has no port');
		this.url = `http://127.0.0.1:${address.port}`;
		return this;
	}

	async stop(): Promise<void> {
		if (!this.server) return;
		this.server.closeAllConnections();
		await new Promise<void>((resolve) => this.server!.close(() => resolve()));
	}
}
