import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import assert from 'node:assert/strict';

const ROOT = join(__dirname, '..', '..');

/**
 * A private copy of the compiled ledger for child processes: `npm test` builds first, and copying means another
 * build running meanwhile (which empties dist/) cannot pull the code from under a running child.
 */
export function compiledLedger(): string {
	const built = join(ROOT, 'dist', 'ledger');
	assert.ok(
		existsSync(join(built, 'sqlite', 'sqlite-ledger.js')),
		`The child-process suites load the compiled ledger from ${built}: run \`npm run build\` first (npm test does).`,
	);
	const root = mkdtempSync(join(tmpdir(), 'sd-ledger-dist-'));
	const copy = join(root, 'ledger');
	cpSync(built, copy, { recursive: true });
	// The ledger counts its windows by the domain's definition (domain/routing/windows): the domain comes along.
	cpSync(join(ROOT, 'dist', 'domain'), join(root, 'domain'), { recursive: true });
	return copy;
}

export interface Writer {
	child: ChildProcess;
	messages: Array<Record<string, unknown>>;
	/** Resolves with the first message matching `test`. */
	waitFor(test: (m: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
	exited: Promise<number | null>;
}

/** Starts tests/ledger/child/writer.cjs with a task; it reports JSON lines on stdout. */
export function startWriter(dist: string, task: Record<string, unknown>): Writer {
	const child = spawn(process.execPath, [join(__dirname, 'child', 'writer.cjs'), JSON.stringify(task)], {
		cwd: ROOT,
		env: { ...process.env, LEDGER_DIST: dist, NODE_PATH: join(ROOT, 'node_modules') },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const messages: Array<Record<string, unknown>> = [];
	const waiters: Array<{ test: (m: Record<string, unknown>) => boolean; resolve: (m: Record<string, unknown>) => void }> =
		[];
	let stderr = '';
	child.stderr!.on('data', (d) => (stderr += d));
	createInterface({ input: child.stdout! }).on('line', (line) => {
		const message = JSON.parse(line) as Record<string, unknown>;
		messages.push(message);
		for (const w of [...waiters]) {
			if (w.test(message)) {
				waiters.splice(waiters.indexOf(w), 1);
				w.resolve(message);
			}
		}
	});
	const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
	return {
		child,
		messages,
		exited,
		waitFor: (test) => {
			const seen = messages.find(test);
			if (seen) return Promise.resolve(seen);
			return new Promise((resolve, reject) => {
				waiters.push({ test, resolve });
				void exited.then((code) =>
					reject(new Error(`writer exited (${code}) before the expected message: ${JSON.stringify(messages)} ${stderr}`)),
				);
			});
		},
	};
}

/** Runs writers to completion and returns each one's final report. */
export async function runAll(writers: Writer[]): Promise<Array<Record<string, unknown>>> {
	const codes = await Promise.all(writers.map((w) => w.exited));
	writers.forEach((w, i) => assert.equal(codes[i], 0, `writer ${i} failed: ${JSON.stringify(w.messages)}`));
	return writers.map((w) => w.messages[w.messages.length - 1]);
}
