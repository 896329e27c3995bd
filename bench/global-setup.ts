import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { meetsTarget, type BenchResult, type Measured } from './record';

const TMP = join(__dirname, '.tmp');
const RESULTS = join(__dirname, 'results.json');

/** This run's figures: a file of its own, so two bench runs at once (bench and bench:n8n) never mix or wipe each other's. */
const file = join(TMP, `results-${process.pid}.ndjson`);

export function setup() {
	rmSync(file, { force: true });
	// The bench processes vitest forks after this inherit it (record() appends there).
	process.env.SD_BENCH_RESULTS = file;
}

/**
 * Merges this run's figures over the previous results.json (a partial run keeps the other figures, each with the
 * commit, date, Node version and load average it was measured at) and prints a table.
 */
export function teardown() {
	if (!existsSync(file)) return;
	const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
	const fresh: Record<string, BenchResult & { measured: Measured }> = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim()) continue;
		const { name, ...result } = JSON.parse(line);
		fresh[name] = result;
	}
	// Figures of an earlier format (no `measured`) cannot say when they were taken: they are dropped, not kept.
	const kept = Object.fromEntries(Object.entries(previous).filter(([, r]) => (r as { measured?: unknown }).measured !== undefined));
	const merged = { ...kept, ...fresh };
	const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
	writeFileSync(RESULTS, JSON.stringify(sorted, null, 2) + '\n');
	rmSync(file, { force: true });

	const rows = Object.entries(fresh).map(([name, r]) => {
		const ok = meetsTarget(r.value, r.target);
		return {
			benchmark: name,
			value: `${Number(r.value.toFixed(2))} ${r.unit}`,
			target: r.target ?? '',
			met: ok === null ? '' : ok ? 'yes' : 'NO',
			load: r.measured.load[0],
		};
	});
	console.log('\nbench/results.json updated (README table: npm run bench:readme):');
	console.table(rows);
}
