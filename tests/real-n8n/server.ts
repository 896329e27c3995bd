import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { freePort } from './env';
import type { N8nHome } from './instance';

export interface ServerOptions {
	/** `start` (main process, default), `worker` or `webhook`. */
	command?: 'start' | 'worker' | 'webhook';
	/** Extra CLI arguments, e.g. `['--concurrency=10']` for a worker. */
	args?: string[];
	/** HTTP port (N8N_PORT); a free one by default. */
	port?: number;
	/** Task-runner broker port; a free one by default (every process needs its own). */
	brokerPort?: number;
	env?: NodeJS.ProcessEnv;
	/**
	 * When the process counts as ready: every check passes — an HTTP URL answering 2xx, or a regular expression its log
	 * must match. Default: `start` → /healthz/readiness and the "Editor is now accessible" line (printed only after
	 * published workflows are activated, so their webhooks answer); `webhook` → /healthz/readiness and "Webhook listener
	 * waiting for requests"; `worker` → "n8n worker is now ready".
	 */
	readiness?: string | RegExp | Array<string | RegExp>;
	readyTimeoutMs?: number;
}

/** A long-running n8n process (main, worker or webhook) in its own process group, logging to a file. */
export class N8nServer {
	private exited = false;
	private readonly exitListeners: Array<() => void> = [];

	private constructor(
		readonly command: string,
		readonly port: number,
		readonly brokerPort: number,
		readonly logFile: string,
		private readonly child: ChildProcess,
	) {
		child.on('exit', () => {
			this.exited = true;
			for (const listener of this.exitListeners) listener();
		});
	}

	get pid(): number {
		return this.child.pid!;
	}

	/** Base URL of the main/webhook process, e.g. http://127.0.0.1:57123. */
	get url(): string {
		return `http://127.0.0.1:${this.port}`;
	}

	get running(): boolean {
		return !this.exited;
	}

	log(): string {
		return readFileSync(this.logFile, 'utf8');
	}

	onExit(listener: () => void): void {
		if (this.exited) listener();
		else this.exitListeners.push(listener);
	}

	static async start(home: N8nHome, options: ServerOptions = {}): Promise<N8nServer> {
		const command = options.command ?? 'start';
		const port = options.port ?? (await freePort());
		const brokerPort = options.brokerPort ?? (await freePort());
		const logDir = join(home.dir, 'logs');
		mkdirSync(logDir, { recursive: true });
		const logFile = join(logDir, `${command}-${port}.log`);
		const log = createWriteStream(logFile);
		const child = spawn(home.bin, [command, ...(options.args ?? [])], {
			cwd: home.dir,
			env: home.env({ N8N_PORT: String(port), N8N_RUNNERS_BROKER_PORT: String(brokerPort), ...options.env }),
			stdio: ['ignore', 'pipe', 'pipe'],
			// Own process group: stop() signals n8n and the task runners it spawns together.
			detached: true,
		});
		child.stdout!.pipe(log);
		child.stderr!.pipe(log);
		const server = new N8nServer(command, port, brokerPort, logFile, child);
		const readiness = options.readiness === undefined ? defaultReadiness(command, server.url) : [options.readiness].flat();
		try {
			await server.waitReady(readiness, options.readyTimeoutMs ?? 90_000);
		} catch (error) {
			await server.stop();
			throw error;
		}
		return server;
	}

	private async waitReady(readiness: Array<string | RegExp>, timeoutMs: number): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		const pending = [...readiness];
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n ${this.command} exited before it was ready:\n${tail(this.log())}`);
			const check = pending[0];
			const passed =
				typeof check === 'string'
					? await fetch(check, { signal: AbortSignal.timeout(2_000) }).then(
							(response) => response.ok,
							() => false,
						)
					: check.test(this.log());
			if (passed) pending.shift();
			if (pending.length === 0) return;
			if (!passed) await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`n8n ${this.command} not ready after ${timeoutMs} ms:\n${tail(this.log())}`);
	}

	/**
	 * Waits until a production webhook answers. n8n 2.41 activates published workflows in the background after startup
	 * (the publication reconciler), so a ready server may still 404 its webhooks for a moment. Probes with a CORS
	 * preflight, which n8n answers 204 only for a registered path and starts no execution.
	 */
	async waitForWebhook(path: string, method = 'POST', timeoutMs = 60_000): Promise<void> {
		const url = `${this.url}/webhook/${path.replace(/^\/+/, '')}`;
		const deadline = Date.now() + timeoutMs;
		while (Date.now() < deadline) {
			if (this.exited) throw new Error(`n8n ${this.command} exited while waiting for ${url}:\n${tail(this.log())}`);
			const allowed = await fetch(url, {
				method: 'OPTIONS',
				headers: { origin: this.url, 'access-control-request-method': method },
				signal: AbortSignal.timeout(2_000),
			}).then(
				(response) => (response.status === 204 ? (response.headers.get('access-control-allow-methods') ?? '') : ''),
				() => '',
			);
			if (allowed.split(/,\s*/).includes(method)) return;
			await new Promise((resolve) => setTimeout(resolve, 250));
		}
		throw new Error(`webhook ${method} ${url} not registered after ${timeoutMs} ms:\n${tail(this.log())}`);
	}

	/** SIGTERM to the whole process group, SIGKILL after `graceMs`; resolves when the process has exited. */
	async stop(graceMs = 15_000): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.onExit(resolve));
		signalGroup(this.pid, 'SIGTERM');
		const timer = setTimeout(() => signalGroup(this.pid, 'SIGKILL'), graceMs);
		await exited;
		clearTimeout(timer);
		// Task runners may outlive their parent by a moment; make sure nothing of the group is left.
		signalGroup(this.pid, 'SIGKILL');
	}

	/** `kill -9` of the process group, without waiting for a graceful shutdown (crash tests). */
	async kill(): Promise<void> {
		if (this.exited) return;
		const exited = new Promise<void>((resolve) => this.onExit(resolve));
		signalGroup(this.pid, 'SIGKILL');
		await exited;
	}
}

function defaultReadiness(command: 'start' | 'worker' | 'webhook', url: string): Array<string | RegExp> {
	if (command === 'worker') return [/n8n worker is now ready/];
	if (command === 'webhook') return [`${url}/healthz/readiness`, /Webhook listener waiting for requests/];
	return [`${url}/healthz/readiness`, /Editor is now accessible via/];
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		process.kill(-pid, signal);
	} catch {
		// the group is already gone
	}
}

function tail(text: string, lines = 60): string {
	return text.split('\n').slice(-lines).join('\n');
}
