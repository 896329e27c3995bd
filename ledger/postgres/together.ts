import type { PoolClient } from 'pg';

/** The part of a pg connection's socket that holds writes back (Node's Writable). */
interface Corkable {
	cork(): void;
	uncork(): void;
}

/**
 * Runs `send`, which must hand every statement it sends to the connection before it returns, with the connection's
 * socket corked: pg writes each statement with a system call of its own (a pipelined BEGIN, lock and snapshot were
 * three), and on a busy host each loopback write that wakes the server costs more than the bytes it carries. Corked,
 * they leave in one write when `send` returns. A connection without a socket of this kind sends as before.
 */
export function sentTogether<T>(client: PoolClient, send: () => T): T {
	const stream = (client as unknown as { connection?: { stream?: Partial<Corkable> } }).connection?.stream;
	if (typeof stream?.cork !== 'function' || typeof stream.uncork !== 'function') return send();
	stream.cork();
	try {
		return send();
	} finally {
		stream.uncork();
	}
}
