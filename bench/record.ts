import { execFileSync } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';

import { percentile } from '../tests/queue/load';

export { percentile };

export interface BenchResult {
	value: number;
	unit: string;
	notes: string;
	/** Optional target, e.g. "<= 100": printed beside the value and checked by the table. */
	target?: string;
	/** True when nothing was written (a router dry run): the README table says so beside the figure. */
	dryRun?: boolean;
	/** Short label for the README table; the benchmark's name when absent. */
	label?: string;
}

/** When and where a figure was measured: every figure carries its own, so a partial run never passes for a full one. */
export interface Measured {
	commit: string;
	/** The tree had uncommitted changes when measured. */
	dirty: boolean;
	date: string;
	node: string;
	cpus: number;
	/** 1-, 5- and 15-minute load averages when the figure was recorded. */
	load: [number, number, number];
}

const TMP = join(__dirname, '.tmp');
const ROOT = join(__dirname, '..');

let revision: { commit: string; dirty: boolean } | undefined;

function gitRevision(): { commit: string; dirty: boolean } {
	if (revision) return revision;
	try {
		const commit = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
		// Only tracked source counts: results.json itself changes with every run.
		const status = execFileSync('git', ['status', '--porcelain', '--untracked-files=no', '--', '.', ':!bench/results.json', ':!README.md'], {
			cwd: ROOT,
			encoding: 'utf8',
		});
		revision = { commit, dirty: status.trim() !== '' };
	} catch {
		revision = { commit: 'unknown', dirty: false };
	}
	return revision;
}

export function measuredNow(): Measured {
	const [a, b, c] = loadavg();
	const round = (x: number) => Math.round(x * 100) / 100;
	return { ...gitRevision(), date: new Date().toISOString(), node: process.version, cpus: cpus().length, load: [round(a), round(b), round(c)] };
}

/** Records one figure with when and where it was measured; the global teardown merges every figure into bench/results.json. */
export function record(name: string, result: BenchResult) {
	if (!Number.isFinite(result.value)) throw new Error(`bench figure ${name} is not a number: ${result.value}`);
	// The run's own file (see global-setup.ts); a bench file run on its own outside `npm run bench` falls back to one.
	const file = process.env.SD_BENCH_RESULTS ?? join(TMP, 'results.ndjson');
	mkdirSync(TMP, { recursive: true });
	appendFileSync(file, JSON.stringify({ name, ...result, measured: measuredNow() }) + '\n');
}

/**
 * Collects what the bench itself left behind (the tickets it just built, the last run's items) before a timed run, so
 * that run pays for its own garbage only. Measured on the router's 10,000-ticket dry run, same code, minutes apart:
 * runs of 148–217 ms without it, 73–141 ms with it (medians 209 against 113 and 126): the bench's ticket generation was
 * being collected during the node's run and charged to it.
 */
export function collectGarbage(): void {
	const gc = (globalThis as { gc?: () => void }).gc;
	if (!gc) throw new Error('collectGarbage needs node --expose-gc (bench/vitest.config.mts sets it)');
	gc();
}

/** Median of a few runs after a warm-up: what a steady process would see. */
export async function medianOf(runs: number, fn: () => Promise<number> | number): Promise<number> {
	await fn();
	const values: number[] = [];
	for (let i = 0; i < runs; i++) values.push(await fn());
	return percentile(values, 50);
}

/** Whole-millisecond times as counts per value, "1 ms ×150, 2 ms ×60": how a tail is made, which two percentiles hide. */
export function histogram(values: readonly number[]): string {
	const counts = new Map<number, number>();
	for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
	return [...counts]
		.sort((a, b) => a[0] - b[0])
		.map(([v, n]) => `${v} ms ×${n}`)
		.join(', ');
}

export function meetsTarget(value: number, target: string | undefined): boolean | null {
	if (!target) return null;
	const m = /^(<=|>=)\s*([\d.]+)$/.exec(target.trim());
	if (!m) return null;
	return m[1] === '<=' ? value <= Number(m[2]) : value >= Number(m[2]);
}
