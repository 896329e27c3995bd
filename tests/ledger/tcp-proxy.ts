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
	/** Cut as soon as the server answers (the answer is dropped). */
	cutOnAnswer: Landed | null;
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
		const pipe: Pipe = { id: ++this.ids, client, server, fault: this.onConnect, sent: [], held: [], cutOnAnswer: null };
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
			if (pipe.cutOnAnswer) {
				pipe.cutOnAnswer.answered = true;
				this.cut(pipe);
				return;
			}
			this.carry(pipe, client, data);
		});
	}

	private fromClient(pipe: Pipe, data: Buffer) {
		const trigger = this.trigger;
		if (pipe.fault === null && trigger && data.toString('latin1').includes(trigger.on)) {
			this.trigger = null;
			this.landed.push({
				fault: trigger.fault,
				connection: pipe.id,
				before: Buffer.concat(pipe.sent).toString('latin1'),
				message: data.toString('latin1'),
				forwarded: trigger.forward,
			});
			pipe.sent.push(data);
			if (trigger.fault === 'cut') {
				if (!trigger.forward) return this.cut(pipe);
				pipe.cutOnAnswer = this.landed[this.landed.length - 1];
				pipe.server.write(data);
				return;
			}
			if (trigger.forward) pipe.server.write(data);
			pipe.fault = trigger.fault;
			return;
		}
		pipe.sent.push(data);
		this.carry(pipe, pipe.server, data);
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
		to.write(data);
	}
}
