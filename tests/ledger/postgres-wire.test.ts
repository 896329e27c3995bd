import { Socket } from 'node:net';
import { Writable } from 'node:stream';
import { Client, type PoolClient } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';

import { batchDimensions } from '../../ledger/postgres/json-rows';
import { sentTogether } from '../../ledger/postgres/together';
import { decision, request } from './fixtures';
import { dropSchemas, openPostgres, PG, postgresUnavailable, uniqueSchema } from './postgres';

/** A client double whose connection writes into `stream`, as pg's does. */
const clientOn = (stream: unknown) => ({ connection: { stream } }) as unknown as PoolClient;

/** A Writable that records each call it gets: one per write the socket would make. */
function recordingStream() {
	const calls: string[][] = [];
	const stream = new Writable({
		write(chunk: Buffer, _encoding, done) {
			calls.push([chunk.toString()]);
			done();
		},
		writev(chunks, done) {
			calls.push(chunks.map(({ chunk }) => String(chunk)));
			done();
		},
	});
	return { stream, calls };
}

describe('statements sent together', () => {
	it('what is written while the statements are handed over leaves in one write, in order', () => {
		const { stream, calls } = recordingStream();
		const result = sentTogether(clientOn(stream), () => {
			stream.write('BEGIN');
			stream.write('LOCK');
			stream.write('SNAPSHOT');
			return 'sent';
		});
		expect(result).toBe('sent');
		expect(calls).toEqual([['BEGIN', 'LOCK', 'SNAPSHOT']]);
	});

	it('a failure while handing over still lets what was written go, and the next write goes at once', () => {
		const { stream, calls } = recordingStream();
		expect(() =>
			sentTogether(clientOn(stream), () => {
				stream.write('BEGIN');
				throw new Error('bad value');
			}),
		).toThrow('bad value');
		stream.write('ROLLBACK');
		expect(calls).toEqual([['BEGIN'], ['ROLLBACK']]);
	});

	it('a connection without a socket that holds writes back sends as before', () => {
		expect(sentTogether(clientOn(undefined), () => 42)).toBe(42);
		expect(sentTogether({} as PoolClient, () => 'plain')).toBe('plain');
	});
});

describe('a batch’s dimensions', () => {
	it('each row points at its dimension among the batch’s distinct ones, first seen first (1-based)', () => {
		expect(batchDimensions([7, 3, 7, 9, 3])).toEqual({ ids: [7, 3, 9], positions: '[1,2,1,3,2]' });
		expect(batchDimensions([])).toEqual({ ids: [], positions: '[]' });
	});
});

const unavailable = postgresUnavailable();
const schemas: string[] = [];

describe.skipIf(unavailable !== null)('PostgreSQL batches on the wire', () => {
	afterAll(() => dropSchemas(schemas));

	async function ledger(label: string) {
		const schema = uniqueSchema(label);
		schemas.push(schema);
		return { schema, ledger: await openPostgres(schema) };
	}

	/** Writes made to the server while `run` runs: each is one system call, a socket's _write or _writev. */
	async function writesDuring(run: () => Promise<unknown>): Promise<number> {
		let writes = 0;
		const socket = Socket.prototype as unknown as Record<'_write' | '_writev', (...args: unknown[]) => unknown>;
		const originals = { _write: socket._write, _writev: socket._writev };
		for (const name of ['_write', '_writev'] as const) {
			socket[name] = function (this: Socket, ...args: unknown[]) {
				if (this.remotePort === Number(PG.port)) writes++;
				return originals[name].apply(this, args);
			};
		}
		try {
			await run();
		} finally {
			Object.assign(socket, originals);
		}
		return writes;
	}

	it('one ticket is two writes to the server: BEGIN, the scope’s lock and the snapshot; then the rows and COMMIT', async () => {
		const { ledger: l } = await ledger('wire');
		try {
			// The connection and its prepared statements exist after a first batch.
			await l.routeBatch('support', request(), () => ({ rows: [decision()], overflowActive: {}, result: null }));
			const row = decision();
			const writes = await writesDuring(() =>
				l.routeBatch('support', request({ ticketIds: [row.ticketId] }), () => ({ rows: [row], overflowActive: { peak: true }, result: null })),
			);
			expect(writes).toBe(2);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => d.id)).toEqual([row.id]);
			// A re-route also supersedes the ticket's decision: still the same two writes.
			const again = decision({ ticketId: row.ticketId });
			expect(
				await writesDuring(() => l.routeBatch('support', request({ ticketIds: [row.ticketId] }), () => ({ rows: [again], overflowActive: {}, result: null }))),
			).toBe(2);
			expect((await l.decisionsOf('support', row.ticketId)).map((d) => d.id)).toEqual([row.id, again.id]);
		} finally {
			await l.close();
		}
	});

	it('rows of many dimensions, interleaved, keep the batch’s order and each its own dimension’s fields', async () => {
		const { schema, ledger: l } = await ledger('dimorder');
		const combos = [
			['acme', 'email', 'en'],
			['globex', 'chat', 'de'],
			[null, 'phone', 'fr'],
			['initech', 'email', 'ja'],
			['acme', 'chat', 'en'],
			['globex', 'web', 'es'],
			[null, 'email', 'en'],
		] as const;
		// 7 combinations visited in a scrambled order (index 3i mod 7 then reversed every other lap), so neither the
		// dimension ids nor their first appearance follow the rows' order.
		const rows = Array.from({ length: 300 }, (_, i) => {
			const lap = Math.floor(i / 7);
			const k = (3 * i) % 7;
			const [vendor, channel, language] = combos[lap % 2 ? 6 - k : k];
			return decision({ ticketId: `order-${i}`, vendor, kind: vendor === null ? 'internal' : 'external', destination: vendor ?? 'team', channel, language });
		});
		const other = new Client(PG);
		await other.connect();
		try {
			await l.routeBatch('support', request(), () => ({ rows, overflowActive: {}, result: null }));
			const { rows: stored } = await other.query(
				`SELECT r.ticket_id, r.kind, r.vendor, r.channel, r.language, d.vendor AS dim_vendor, d.channel AS dim_channel
				FROM "${schema}".delegations r JOIN "${schema}".delegation_dimensions d ON d.id = r.dimension_id ORDER BY r.seq`,
			);
			expect(stored).toEqual(
				rows.map((r) => ({
					ticket_id: r.ticketId,
					kind: r.kind,
					vendor: r.vendor,
					channel: r.channel,
					language: r.language,
					dim_vendor: r.vendor,
					dim_channel: r.channel,
				})),
			);
		} finally {
			await other.end();
			await l.close();
		}
	});
});
