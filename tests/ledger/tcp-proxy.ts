import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';

/**
 * A loopback TCP proxy between the ledger and PostgreSQL that breaks the network on cue:
 * - stall: bytes stop moving both ways and are held (delivered if the fault clears while the sockets live);
 * - blackhole: bytes are dropped both ways, and neither side hears a close (the server keeps its session);
 * - cut: both sockets are destroyed (the client sees the connection end, the server a closed socket); a forwarded
 *   message is cut once the server has answered it, and the answer is lost (e.g. a COMMIT that committed unheard).
 * A fault is armed on a string the client sends (e.g. "INSERT INTO"): it lands on that connection, on that message,
 * either before the message reaches the server or right after it did. `landed` records where, so a test can check it.
 */
export type Fault = 'stall' | 'blackhole' | 'cut';

export interface Trigger {
	/** Text in the client's bytes (the SQL of a Parse or Query message) that fires the fault. */
	on: string;
	fault: Fault;
	/** true: the message reaches the server first (the fault hits its answer); false: it never leaves the proxy. */
	forward: boolean;
}

export interface Landed {
	fault: Fault;
	connection: number;
	/** Everything the client had sent on that connection before the triggering message, as latin1 text. */
	before: string;
	/** The triggering message's bytes. */
	message: string;
	forwarded: boolean;
	/** For a forwarded cut: the server had answered (its answer was dropped) when the line went dead. */
	answered?: boolean;
}

interface Pipe {
	id: number;
	client: Socket;
	server: Socket;
	fault: Fault | null;
	sent: Buffer[];
	held: Array<{ to: Socket; data: Buffer }>;
	/** Cut as soon as the server answers the triggering statement (the answer is dropped). */
	cutOnAnswer: Landed | null;
	/** Statements forwarded to the server and not yet answered (a pipelining client has several in flight). */
	unanswered: number;
	/** With `cutOnAnswer`: the answers still to come up to and including the triggering statement's. */
	answersToCut: number;
	/** The server's bytes after its last whole message. */
	serverTail: Buffer;
}

export class FaultProxy {
	readonly landed: Landed[] = [];
	private server: Server | undefined;
	private readonly pipes = new Set<Pipe>();
	private trigger: Trigger | null = null;
	/** A fault every new connection gets from its first byte (a server that is unreachable at connect). */
	private onConnect: Fault | null = null;
	private ids = 0;
	port = 0;

	constructor(
		private readonly target: { host: string; port: number },
	) {}

	async start(): Promise<number> {
		this.server = createServer((client) => this.accept(client));
		await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
		this.port = (this.server.address() as AddressInfo).port;
		return this.port;
	}

	arm(trigger: Trigger) {
		this.trigger = trigger;
	}

	faultNewConnections(fault: Fault | null) {
		this.onConnect = fault;
	}

	/** The network heals: held bytes are delivered, future bytes flow; black-holed bytes stay lost. */
	clear() {
		this.trigger = null;
		this.onConnect = null;
		for (const pipe of this.pipes) {
			pipe.fault = null;
			for (const { to, data } of pipe.held.splice(0)) if (!to.destroyed) to.write(data);
		}
	}

	/** Connections the proxy still holds open towards the server. */
	get open(): number {
		return [...this.pipes].filter((p) => !p.server.destroyed).length;
	}

	async close() {
		for (const pipe of this.pipes) {
			pipe.client.destroy();
			pipe.server.destroy();
		}
		await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
	}

	private accept(client: Socket) {
		const server = connect(this.target.port, this.target.host);
		const pipe: Pipe = {
			id: ++this.ids,
			client,
			server,
			fault: this.onConnect,
			sent: [],
			held: [],
			cutOnAnswer: null,
			unanswered: 0,
			answersToCut: 0,
			serverTail: Buffer.alloc(0),
		};
		this.pipes.add(pipe);
		const end = () => {
			// A black hole carries no close either way: the far side keeps its socket (and the server its session).
			if (pipe.fault === 'blackhole' || pipe.fault === 'stall') return;
			this.cut(pipe);
		};
		client.on('error', () => undefined).on('close', end);
		server.on('error', () => undefined).on('close', end);
		client.on('data', (data: Buffer) => this.fromClient(pipe, data));
		server.on('data', (data: Buffer) => {
			const answers = this.answersIn(pipe, data);
			pipe.unanswered = Math.max(0, pipe.unanswered - answers);
			if (pipe.cutOnAnswer && (pipe.answersToCut -= answers) <= 0) {
				pipe.cutOnAnswer.answered = true;
				this.cut(pipe);
				return;
			}
			this.carry(pipe, client, data);
		});
	}

	private fromClient(pipe: Pipe, data: Buffer) {
		const trigger = this.trigger;
		const at = pipe.fault === null && trigger ? data.toString('latin1').indexOf(trigger.on) : -1;
		if (trigger && at >= 0) {
			this.trigger = null;
			// A pipelining client sends several statements in one write: the fault lands between statements, so what
			// was sent before the triggering one still arrives, and what follows it never does.
			const { before, message, after } = splitAtStatement(data, at);
			if (before.length > 0) this.fromClient(pipe, before);
			this.landed.push({
				fault: trigger.fault,
				connection: pipe.id,
				before: Buffer.concat(pipe.sent).toString('latin1'),
				message: message.toString('latin1'),
				forwarded: trigger.forward,
			});
			pipe.sent.push(message);
			if (trigger.fault === 'cut') {
				if (!trigger.forward) return this.cut(pipe);
				pipe.cutOnAnswer = this.landed[this.landed.length - 1];
				pipe.answersToCut = pipe.unanswered + 1;
				this.forward(pipe, message);
				return;
			}
			if (trigger.forward) this.forward(pipe, message);
			pipe.fault = trigger.fault;
			if (after.length > 0) this.carry(pipe, pipe.server, after);
			return;
		}
		pipe.sent.push(data);
		this.carry(pipe, pipe.server, data);
	}

	private forward(pipe: Pipe, data: Buffer) {
		pipe.unanswered += statementsIn(data);
		pipe.server.write(data);
	}

	/** ReadyForQuery messages (one ends the answer to each statement) in the server's bytes. */
	private answersIn(pipe: Pipe, data: Buffer): number {
		const bytes = Buffer.concat([pipe.serverTail, data]);
		let answers = 0;
		let i = 0;
		while (i + 5 <= bytes.length && i + 1 + bytes.readUInt32BE(i + 1) <= bytes.length) {
			if (bytes[i] === 0x5a) answers++;
			i += 1 + bytes.readUInt32BE(i + 1);
		}
		pipe.serverTail = bytes.subarray(i);
		return answers;
	}

	private cut(pipe: Pipe) {
		pipe.client.destroy();
		pipe.server.destroy();
		this.pipes.delete(pipe);
	}

	private carry(pipe: Pipe, to: Socket, data: Buffer) {
		if (pipe.fault === 'blackhole') return;
		if (pipe.fault === 'stall') {
			pipe.held.push({ to, data });
			return;
		}
		if (to === pipe.server) pipe.unanswered += statementsIn(data);
		to.write(data);
	}
}

/** Statements in a client write: each ends with a Sync (extended query) or is one simple Query message. */
function statementsIn(data: Buffer): number {
	let statements = 0;
	for (let i = 0; i + 5 <= data.length; i += 1 + data.readUInt32BE(i + 1)) if (data[i] === 0x53 || data[i] === 0x51) statements++;
	return statements;
}

/**
 * Splits a client write around the statement holding byte `at`: the protocol messages before it, the statement (a
 * simple Query message, or an extended query's messages up to and including its Sync), and the messages after it.
 * A write that does not parse as whole messages (the startup packet) is one statement.
 */
function splitAtStatement(data: Buffer, at: number): { before: Buffer; message: Buffer; after: Buffer } {
	const starts: number[] = [];
	for (let i = 0; i < data.length; i += 1 + data.readUInt32BE(i + 1)) {
		if (i + 5 > data.length) return { before: data.subarray(0, 0), message: data, after: data.subarray(data.length) };
		starts.push(i);
	}
	const frame = starts.findLastIndex((start) => start <= at);
	// The statement starts after the previous statement's end (a Sync or a simple Query).
	let first = frame;
	while (first > 0 && !['S', 'Q'].includes(String.fromCharCode(data[starts[first - 1]]))) first--;
	let last = frame;
	while (last < starts.length - 1 && !['S', 'Q'].includes(String.fromCharCode(data[starts[last]]))) last++;
	const from = starts[first];
	const to = last + 1 < starts.length ? starts[last + 1] : data.length;
	return { before: data.subarray(0, from), message: data.subarray(from, to), after: data.subarray(to) };
}
