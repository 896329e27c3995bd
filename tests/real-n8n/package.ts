import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { PACKAGE_NAME, REPO_ROOT } from './env';

/** Where n8n looks for community packages inside a user folder. */
export function nodesDir(userFolder: string): string {
	return join(userFolder, '.n8n', 'nodes');
}

function writeNodesManifest(dir: string): void {
	mkdirSync(dir, { recursive: true });
	// n8n treats .n8n/nodes as an npm project; without a package.json its loader and `npm install` misbehave.
	writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'installed-nodes', private: true }, null, 2));
}

function npm(args: string[], cwd: string, nodeBinDir: string): string {
	return execFileSync('npm', args, {
		cwd,
		encoding: 'utf8',
		env: { ...process.env, PATH: `${nodeBinDir}:${process.env.PATH ?? ''}`, npm_config_yes: 'true' },
		stdio: ['ignore', 'pipe', 'pipe'],
		maxBuffer: 64 * 1024 * 1024,
	});
}

/**
 * `npm pack` of the repository as users download it (prepack builds dist/). Returns the tarball path in a temp
 * folder; the caller removes it.
 */
export function packPackage(nodeBinDir: string): string {
	const out = mkdtempSync(join(tmpdir(), 'sd-pack-'));
	const json = npm(['pack', '--json', '--pack-destination', out, '--loglevel=error'], REPO_ROOT, nodeBinDir);
	// prepack's build output comes first on stdout (with ANSI colour codes holding `[`): the JSON is the line starting with `[`.
	const [{ filename }] = JSON.parse(json.slice(json.search(/^\[/m))) as Array<{ filename: string }>;
	return join(out, filename);
}

/**
 * Installs a packed tarball into a user folder the way n8n's community-package install does: runtime dependencies
 * only, no dev tree, no peer dependencies (n8n provides n8n-workflow), no symlink back to the repo.
 */
export function installTarball(userFolder: string, tarball: string, nodeBinDir: string): void {
	const dir = nodesDir(userFolder);
	writeNodesManifest(dir);
	npm(
		['install', '--omit=dev', '--omit=peer', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error', tarball],
		dir,
		nodeBinDir,
	);
}

/** Links the working tree into a user folder (dev loop: rebuild, restart n8n, no reinstall). */
export function linkPackage(userFolder: string): void {
	const dir = nodesDir(userFolder);
	writeNodesManifest(dir);
	const target = join(dir, 'node_modules', PACKAGE_NAME);
	mkdirSync(join(dir, 'node_modules'), { recursive: true });
	rmSync(target, { recursive: true, force: true });
	symlinkSync(REPO_ROOT, target, 'dir');
}
