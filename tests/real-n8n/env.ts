import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';

/** Repository root (tests/real-n8n/ is two levels down). */
export const REPO_ROOT = join(__dirname, '..', '..');

export const PACKAGE_NAME = 'n8n-nodes-support-delegation';

let binCache: string | undefined;

/**
 * Path to the pinned real n8n binary, installing it first if the cache is cold (scripts/ensure-n8n.sh, minutes the
 * first time, instant afterwards). Also returns the Node ≥ 22.16 that must run it.
 */
export function ensureN8n(): { bin: string; nodeBinDir: string } {
	if (!binCache) {
		const out = execFileSync('bash', [join(REPO_ROOT, 'scripts', 'ensure-n8n.sh')], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
			maxBuffer: 16 * 1024 * 1024,
		});
		binCache = out.trim().split('\n').pop()!;
		if (!existsSync(binCache)) throw new Error(`ensure-n8n.sh printed ${binCache}, which does not exist`);
	}
	return { bin: binCache, nodeBinDir: nodeBinDir() };
}

/** The folder holding the Node that scripts/node-env.sh selects (Node 24 on a machine whose system Node is older). */
function nodeBinDir(): string {
	const out = execFileSync('bash', ['-c', `. "${join(REPO_ROOT, 'scripts', 'node-env.sh')}" && command -v node`], {
		encoding: 'utf8',
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	return dirname(out.trim());
}

/** A TCP port free right now on 127.0.0.1 (the OS picks it, so parallel runs do not collide). */
export async function freePort(): Promise<number> {
	return await new Promise((resolve, reject) => {
		const server = createServer();
		server.unref();
		server.on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
		});
	});
}

/**
 * Environment every n8n process we start shares: quiet, offline, local only. Callers add N8N_USER_FOLDER, ports and
 * mode-specific settings (queue mode, PostgreSQL) on top.
 */
export function baseN8nEnv(nodeBin: string): NodeJS.ProcessEnv {
	return {
		...process.env,
		PATH: `${nodeBin}:${process.env.PATH ?? ''}`,
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		// Plain http on 127.0.0.1: the auth cookie must not be Secure or the browser drops it.
		N8N_SECURE_COOKIE: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		// Vitest sets NODE_ENV=test, which n8n reads as "not production"; keep n8n's own defaults.
		NODE_ENV: 'production',
		// Never empty: an empty value makes n8n scan the working folder for *.node.js.
		N8N_CUSTOM_EXTENSIONS: undefined,
		VITEST: undefined,
		VITEST_POOL_ID: undefined,
		VITEST_WORKER_ID: undefined,
	};
}
