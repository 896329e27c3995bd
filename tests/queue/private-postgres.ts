import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Client } from 'pg';

/**
 * A PostgreSQL cluster of this test alone, to restart mid-load: the machine's PostgreSQL on 5432 is shared with
 * other suites and is never restarted. initdb into a temporary folder, a free loopback port, trust auth; as root the
 * server runs as the `postgres` OS user (PostgreSQL refuses to run as root).
 */
const BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

function binDir(): string {
	try {
		return execFileSync('pg_config', ['--bindir'], { encoding: 'utf8' }).trim();
	} catch {
		const found = BIN_DIRS.find((d) => existsSync(join(d, 'pg_ctl')));
		if (!found) throw new Error(`no PostgreSQL server binaries (initdb, pg_ctl) in ${BIN_DIRS.join(', ')} or on PATH`);
		return found;
	}
}

const execFileAsync = promisify(execFile);

async function freePort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return port;
}

export class PrivatePostgres {
	private constructor(
		readonly port: number,
		readonly dataDir: string,
		private readonly bin: string,
		private readonly asPostgres: boolean,
	) {}

	readonly host = '127.0.0.1';
	readonly user = 'postgres';

	/**
	 * Starts a fresh cluster. `registry` is a file the run's cleanup (scripts/queue.sh) reads to stop the server if
	 * the test process dies before stop().
	 */
	static async start(registry: string): Promise<PrivatePostgres> {
		const bin = binDir();
		const asPostgres = process.getuid?.() === 0;
		const dataDir = mkdtempSync(join(tmpdir(), 'sd-queue-pg-'));
		if (asPostgres) {
			const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
			chownSync(dataDir, id('-u'), id('-g'));
		}
		writeFileSync(registry, `${bin}\n${dataDir}\n`);
		const pg = new PrivatePostgres(await freePort(), dataDir, bin, asPostgres);
		await pg.run('initdb', ['-D', join(dataDir, 'data'), '-A', 'trust', '-U', 'postgres', '--no-sync', '-E', 'UTF8']);
		await pg.ctl('start');
		return pg;
	}

	/**
	 * What an operator's restart does (`pg_ctl stop -m fast`: sessions ended, committed work kept), then down for
	 * `downMs` before it starts again, as a server with more to shut down and recover than this empty one is: executions
	 * reaching the ledger meanwhile find it unreachable. Resolves once it is up.
	 */
	async restart(downMs = 1_500): Promise<void> {
		await this.ctl('stop');
		await new Promise((resolve) => setTimeout(resolve, downMs));
		await this.ctl('start');
	}

	async createDatabase(name: string): Promise<void> {
		const client = new Client({ host: this.host, port: this.port, user: this.user, database: 'postgres' });
		await client.connect();
		try {
			await client.query(`CREATE DATABASE "${name}"`);
		} finally {
			await client.end();
		}
	}

	async dropDatabase(name: string): Promise<void> {
		await this.withDatabase('postgres', (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
	}

	async withDatabase<T>(database: string, fn: (client: Client) => Promise<T>): Promise<T> {
		const client = new Client({ host: this.host, port: this.port, user: this.user, database });
		await client.connect();
		try {
			return await fn(client);
		} finally {
			await client.end();
		}
	}

	/** Stops the server at once and removes its files. */
	async stop(): Promise<void> {
		await this.run('pg_ctl', ['-D', join(this.dataDir, 'data'), '-m', 'immediate', 'stop']).catch(() => undefined);
		rmSync(this.dataDir, { recursive: true, force: true });
	}

	private async ctl(action: 'start' | 'stop') {
		await this.run('pg_ctl', [
			'-D', join(this.dataDir, 'data'),
			'-l', join(this.dataDir, 'server.log'),
			'-o', `-p ${this.port} -k ${this.dataDir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100`,
			'-m', 'fast',
			'-w', '-t', '60',
			action,
		]);
	}

	/** Asynchronous: the load generator in this process keeps running while the server restarts. */
	private async run(program: string, args: string[]) {
		const path = join(this.bin, program);
		const [file, argv] = this.asPostgres ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
		await execFileAsync(file, argv, { cwd: this.dataDir });
	}
}
