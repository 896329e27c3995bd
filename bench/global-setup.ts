import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { meetsTarget } from './record';

const TMP = join(__dirname, '.tmp');
const RESULTS = join(__dirname, 'results.json');

export function setup() {
	rmSync(TMP, { recursive: true, force: true });
}

/** Merges this run's figures over the previous results.json (a partial run keeps the other figures) and prints a table. */
export function teardown() {
	const file = join(TMP, 'results.ndjson');
	if (!existsSync(file)) return;
	const previous = existsSync(RESULTS) ? JSON.parse(readFileSync(RESULTS, 'utf8')) : {};
	const fresh: Record<string, { value: number; unit: string; notes: string; target?: string }> = {};
	for (const line of readFileSync(file, 'utf8').split('\n')) {
		if (!line.trim()) continue;
		const { name, ...result } = JSON.parse(line);
		fresh[name] = result;
	}
	const merged = { ...previous, ...fresh };
	const sorted = Object.fromEntries(Object.keys(merged).sort().map((k) => [k, merged[k]]));
	writeFileSync(RESULTS, JSON.stringify(sorted, null, 2) + '\n');

	const rows = Object.entries(fresh).map(([name, r]) => {
		const ok = meetsTarget(r.value, r.target);
		return {
			benchmark: name,
			value: `${Number(r.value.toFixed(2))} ${r.unit}`,
			target: r.target ?? '',
			met: ok === null ? '' : ok ? 'yes' : 'NO',
		};
	});
	console.log('\nbench/results.json updated:');
	console.table(rows);
}
