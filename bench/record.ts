import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';

export interface BenchResult {
	value: number;
	unit: string;
	notes: string;
	/** Optional target, e.g. "<= 100": printed beside the value and checked by the table. */
	target?: string;
}

const TMP = join(__dirname, '.tmp');

/** Records one figure; the global teardown merges every figure into bench/results.json. */
export function record(name: string, result: BenchResult) {
	mkdirSync(TMP, { recursive: true });
	appendFileSync(join(TMP, 'results.ndjson'), JSON.stringify({ name, ...result }) + '\n');
}

/** Median of a few runs after a warm-up: what a steady process would see. */
export async function medianOf(runs: number, fn: () => Promise<number> | number): Promise<number> {
	await fn();
	const values: number[] = [];
	for (let i = 0; i < runs; i++) values.push(await fn());
	values.sort((a, b) => a - b);
	return values[Math.floor(values.length / 2)];
}

export function meetsTarget(value: number, target: string | undefined): boolean | null {
	if (!target) return null;
	const m = /^(<=|>=)\s*([\d.]+)$/.exec(target.trim());
	if (!m) return null;
	return m[1] === '<=' ? value <= Number(m[2]) : value >= Number(m[2]);
}
