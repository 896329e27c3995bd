// Build = tsc + the assets n8n loads from beside each compiled node (icons, codex JSON).
import { execFileSync } from 'node:child_process';
import { cpSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');

rmSync(join(root, 'dist'), { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.json')], { stdio: 'inherit' });

const assets = /\.(svg|png|node\.json)$/;
let copied = 0;
for (const top of ['nodes', 'credentials']) {
	const walk = (dir) => {
		for (const name of readdirSync(dir)) {
			const path = join(dir, name);
			if (statSync(path).isDirectory()) walk(path);
			else if (assets.test(name)) {
				cpSync(path, join(root, 'dist', relative(root, path)));
				copied++;
			}
		}
	};
	walk(join(root, top));
}
console.log(`build: compiled TypeScript and copied ${copied} assets into dist/`);
