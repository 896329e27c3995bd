import { rmSync } from 'node:fs';
import { dirname } from 'node:path';

import { N8nHome, packPackage, type N8nServer } from '../real-n8n';
import { clearRedisPrefix, createDatabase, dropDatabase, PG, REDIS, withDatabase } from './services';

/**
 * Ports of this suite: 58xx, away from the dev server (5678) and the e2e suite's free ports. Main takes BASE and
 * BASE+1 (its task broker); worker i takes BASE+10+2i (health) and BASE+11+2i (task broker).
 */
const BASE_PORT = Number(process.env.SD_QUEUE_BASE_PORT ?? 5800);

/** Process groups of every running main and worker: killed if the test process exits without stopping them. */
const running = new Set<number>();
process.on('exit', () => {
	for (const pid of running) {
		try {
			process.kill(-pid, 'SIGKILL');
		} catch {
			// Already gone.
		}
	}
});

function track(server: N8nServer): N8nServer {
	running.add(server.pid);
	server.onExit(() => running.delete(server.pid));
	return server;
}

export interface ClusterOptions {
	/** The n8n user folder (shared by main and workers, as on one host); logs go to <dir>/logs. */
	dir: string;
	/** Lower-case letters and digits: names the n8n database and the Bull prefix. */
	runId: string;
	workers: number;
	/** Jobs each worker runs at once (`n8n worker --concurrency`, n8n's default is 10). */
	concurrency?: number;
	/** Imported, then published, before main starts, so main registers their webhooks. */
	workflows: Array<Record<string, unknown> & { id: string }>;
	credentials: Array<{ id: string; name: string; type: string; data: Record<string, unknown> }>;
	/** Extra environment for every process (main, workers, CLI). */
	env?: NodeJS.ProcessEnv;
}

export interface Cluster {
	baseUrl: string;
	main: N8nServer;
	/** Worker i, or undefined while it is down. */
	workers: Array<N8nServer | undefined>;
	/** n8n's own database (workflows, executions). */
	n8nDatabase: string;
	webhookUrl(path: string): string;
	/** `kill -9` of worker i and its task runner: a host dying, not a shutdown. */
	crashWorker(index: number): Promise<void>;
	/** Starts worker i (again) and waits until its health check answers. */
	startWorker(index: number): Promise<void>;
	stopWorker(index: number): Promise<void>;
	/** Stops every process, removes the run's Redis keys and n8n database. Safe to call twice. */
	stop(): Promise<void>;
}

/**
 * n8n in queue mode as the docs describe it: main takes the webhooks and enqueues, workers execute, Redis carries the
 * jobs (a prefix per run), PostgreSQL holds n8n's own data (a fresh database per run).
 */
export async function startCluster(options: ClusterOptions): Promise<Cluster> {
	const n8nDatabase = `sdq_${options.runId}_n8n`;
	const bullPrefix = `sdq${options.runId}`;
	const home = new N8nHome({
		dir: options.dir,
		env: {
			// Every process of one installation shares the key: workers decrypt the credentials main stored.
			N8N_ENCRYPTION_KEY: `sd-queue-${options.runId}`,
			DB_TYPE: 'postgresdb',
			DB_POSTGRESDB_HOST: PG.host,
			DB_POSTGRESDB_PORT: String(PG.port),
			DB_POSTGRESDB_USER: PG.user,
			DB_POSTGRESDB_DATABASE: n8nDatabase,
			EXECUTIONS_MODE: 'queue',
			QUEUE_BULL_REDIS_HOST: REDIS.host,
			QUEUE_BULL_REDIS_PORT: String(REDIS.port),
			QUEUE_BULL_PREFIX: bullPrefix,
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
			// A crashed worker's jobs must be noticed in seconds, not after n8n's default minute: the lock lapses, Bull
			// finds the job stalled and (n8n sets maxStalledCount 0) fails it, and main answers the waiting webhook.
			QUEUE_WORKER_LOCK_DURATION: '5000',
			QUEUE_WORKER_LOCK_RENEW_TIME: '1000',
			QUEUE_WORKER_STALLED_INTERVAL: '2000',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
			...options.env,
		},
	});
	// Installed from a packed tarball, as users get it, and so that a rebuild of the working tree (dist/ is wiped
	// and rewritten) cannot pull node files from under running workers.
	const tarball = packPackage(home.nodeBinDir);
	try {
		home.installTarball(tarball);
	} finally {
		rmSync(dirname(tarball), { recursive: true, force: true });
	}

	await dropDatabase(n8nDatabase);
	await createDatabase(n8nDatabase);

	const workers: Array<N8nServer | undefined> = [];
	let main: N8nServer | undefined;
	let restarts = 0;
	const startWorker = async (index: number) => {
		const healthPort = BASE_PORT + 10 + 2 * index;
		workers[index] = track(await home.start({
			command: 'worker',
			args: [`--concurrency=${options.concurrency ?? 10}`],
			// A worker serves no UI; N8N_PORT only names its log file, so a restarted worker gets a fresh one.
			port: BASE_PORT + 100 + 10 * restarts++ + index,
			brokerPort: healthPort + 1,
			env: { QUEUE_HEALTH_CHECK_PORT: String(healthPort) },
			readiness: `http://127.0.0.1:${healthPort}/healthz/readiness`,
			// On this shared 2-core machine a worker's cold start took over 120 s at load 20-30 (other suites running).
			readyTimeoutMs: 240_000,
		}));
	};
	const stop = async () => {
		await home.dispose();
		clearRedisPrefix(bullPrefix);
		await dropDatabase(n8nDatabase);
	};

	try {
		// The first CLI call migrates the fresh database; the calls are sequential so two never migrate at once.
		if (options.credentials.length > 0) await home.importCredentials(options.credentials);
		await home.importWorkflows(options.workflows);
		await publish(n8nDatabase, options.workflows.map((w) => w.id));
		main = track(await home.start({ port: BASE_PORT, brokerPort: BASE_PORT + 1, readyTimeoutMs: 120_000 }));
		await Promise.all(Array.from({ length: options.workers }, (_, i) => startWorker(i)));
	} catch (error) {
		await stop().catch(() => undefined);
		throw error;
	}

	return {
		baseUrl: main.url,
		main,
		workers,
		n8nDatabase,
		webhookUrl: (path) => `${main!.url}/webhook/${path}`,
		crashWorker: async (index) => {
			await workers[index]?.kill();
			workers[index] = undefined;
		},
		startWorker,
		stopWorker: async (index) => {
			await workers[index]?.stop();
			workers[index] = undefined;
		},
		stop,
	};
}

/**
 * What `n8n publish:workflow --id=X` does in n8n 2.41 (WorkflowRepository.publishVersion: the imported current version
 * becomes the active one), for every workflow in one statement instead of one n8n cold start (10–20 s here) each.
 */
async function publish(n8nDatabase: string, ids: string[]): Promise<void> {
	await withDatabase(n8nDatabase, async (db) => {
		const { rowCount } = await db.query(
			`UPDATE workflow_entity w SET active = true, "activeVersionId" = w."versionId"
			 WHERE w.id = ANY($1) AND NOT w."isArchived"
			   AND EXISTS (SELECT 1 FROM workflow_history h WHERE h."workflowId" = w.id AND h."versionId" = w."versionId")`,
			[ids],
		);
		if (rowCount !== ids.length) throw new Error(`published ${rowCount} of ${ids.length} workflows (${ids.join(', ')})`);
	});
}
