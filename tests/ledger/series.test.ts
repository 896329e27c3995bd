import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import type { Ledger } from '../../ledger/ledger';
import type { NewDelegation, SeriesCell } from '../../ledger/model';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { MemoryLedger } from '../doubles/memory-ledger';
import { write } from './contract';
import { DAY, HOUR, decision, mixedDecisions, random } from './fixtures';
import { dropSchemas, openPostgres, postgresUnavailable, uniqueSchema } from './postgres';

const folder = mkdtempSync(join(tmpdir(), 'sd-ledger-series-'));
const pgUnavailable = postgresUnavailable();
const schemas: string[] = [];
let n = 0;

const backends: Array<[string, () => Promise<Ledger>]> = [
	['memory', async () => new MemoryLedger()],
	['sqlite', async () => SqliteLedger.open(join(folder, `series-${++n}.sqlite`))],
];
if (pgUnavailable === null) {
	backends.push([
		'postgres',
		async () => {
			const schema = uniqueSchema('series');
			schemas.push(schema);
			return openPostgres(schema);
		},
	]);
}

const at = (iso: string) => Date.parse(iso);

/** Cells as `bucket kind vendor count cost`, sorted: compared with per-day counts written out by hand. */
function lines(cells: SeriesCell[]): string[] {
	return cells.map((c) => `${c.bucket} ${c.kind} ${c.vendor ?? '-'} ${c.count} ${Math.round(c.cost * 100) / 100}`).sort();
}

function row(iso: string, vendor: string | null, cost: number, more: Partial<NewDelegation> = {}): NewDelegation {
	return decision({
		decidedAt: at(iso),
		vendor,
		destination: vendor ?? 'unknown',
		costEstimate: cost,
		...more,
	});
}

const internal = (iso: string, more: Partial<NewDelegation> = {}) =>
	row(iso, null, 0, { kind: 'internal', destination: 'tier1', contract: null, ...more });

afterAll(async () => {
	if (schemas.length) await dropSchemas(schemas);
	rmSync(folder, { recursive: true, force: true });
});

describe.each(backends)('%s ledger: daily series in one read', (_name, create) => {
	const opened: Ledger[] = [];
	afterAll(async () => {
		for (const l of opened) await l.close();
	});
	const open = async () => {
		const ledger = await create();
		opened.push(ledger);
		return ledger;
	};

	it('counts each Berlin day across the spring-forward change, with partial first and last days', async () => {
		const ledger = await open();
		// Europe/Berlin local midnights: 28 March 00:00 CET = 27 Mar 23:00Z; 29 March 00:00 CET = 28 Mar 23:00Z;
		// clocks jump 02:00 → 03:00 on 29 March, so 30 March 00:00 CEST = 29 Mar 22:00Z (a 23-hour day).
		// A rolling window starts mid-hour on the 28th and ends now, mid-hour on the 30th.
		const bounds = [at('2026-03-28T05:30:00.001Z'), at('2026-03-28T23:00:00Z'), at('2026-03-29T22:00:00Z'), at('2026-03-30T14:45:10Z')];
		await write(ledger, [
			row('2026-03-28T05:30:00.000Z', 'acme', 100), // a millisecond before the window: out
			row('2026-03-28T05:30:00.001Z', 'acme', 1), // day 0, first millisecond, partial hour
			row('2026-03-28T05:59:59.999Z', 'globex', 2), // day 0, partial hour
			row('2026-03-28T06:00:00Z', 'acme', 3), // day 0, whole hour
			row('2026-03-28T22:59:59.999Z', 'acme', 4), // day 0, last millisecond
			row('2026-03-28T23:00:00Z', 'globex', 5), // day 1, first millisecond
			row('2026-03-29T01:30:00Z', 'acme', 6), // day 1, 03:30 CEST just after the jump
			internal('2026-03-29T21:59:59.999Z'), // day 1, last millisecond
			row('2026-03-29T22:00:00Z', 'acme', 7), // day 2
			row('2026-03-30T14:45:09.999Z', null, 8), // day 2, last millisecond, external without a vendor
			row('2026-03-30T14:45:10Z', 'acme', 100), // the window's end: out
			row('2026-03-29T10:00:00Z', 'acme', 9, { scope: 'sales' }), // day 1 of another scope
		]);
		expect(lines(await ledger.series('support', bounds))).toEqual(
			[
				'0 external acme 3 8', // 1 + 3 + 4
				'0 external globex 1 2',
				'1 external globex 1 5',
				'1 external acme 1 6',
				'1 internal - 1 0',
				'2 external acme 1 7',
				'2 external - 1 8',
			].sort(),
		);
		const all = lines(await ledger.series(null, bounds));
		expect(all).toContain('1 external acme 2 15');
		expect(all).toHaveLength(7);
		expect(await ledger.series('nobody', bounds)).toEqual([]);
	});

	it('splits the hour a Kolkata midnight cuts (UTC+5:30) without counting it twice', async () => {
		const ledger = await open();
		// Asia/Kolkata midnights are at 18:30Z: the hour 18:00–19:00Z belongs half to each day.
		const bounds = [at('2026-03-27T18:30:00Z'), at('2026-03-28T18:30:00Z'), at('2026-03-29T18:30:00Z')];
		await write(ledger, [
			row('2026-03-27T18:29:59.999Z', 'acme', 1), // before the first day: out
			row('2026-03-27T18:30:00Z', 'acme', 1), // day 0
			row('2026-03-28T12:00:00Z', 'acme', 1), // day 0
			row('2026-03-28T18:00:00Z', 'globex', 1), // day 0, in the split hour
			row('2026-03-28T18:29:59.999Z', 'acme', 1), // day 0, in the split hour
			row('2026-03-28T18:30:00Z', 'acme', 1), // day 1, in the split hour
			row('2026-03-28T18:59:59.999Z', 'globex', 1), // day 1, in the split hour
			row('2026-03-29T18:29:59.999Z', 'globex', 1), // day 1, last millisecond
			row('2026-03-29T18:30:00Z', 'globex', 1), // the end: out
		]);
		expect(lines(await ledger.series('support', bounds))).toEqual(
			['0 external acme 3 3', '0 external globex 1 1', '1 external acme 1 1', '1 external globex 2 2'].sort(),
		);
	});

	it('reads a single range, a range inside one hour, and nothing for fewer than two bounds', async () => {
		const ledger = await open();
		await write(ledger, [row('2026-03-28T10:10:00Z', 'acme', 1), row('2026-03-28T10:20:00Z', 'acme', 1)]);
		expect(lines(await ledger.series('support', [at('2026-03-28T10:15:00Z'), at('2026-03-28T10:30:00Z')]))).toEqual(['0 external acme 1 1']);
		expect(lines(await ledger.series('support', [at('2026-03-28T00:00:00Z'), at('2026-03-29T00:00:00Z')]))).toEqual(['0 external acme 2 2']);
		expect(await ledger.series('support', [at('2026-03-28T00:00:00Z')])).toEqual([]);
		expect(await ledger.series('support', [])).toEqual([]);
	});

	it('refuses bounds that do not ascend or are not whole milliseconds', async () => {
		const ledger = await open();
		await expect(ledger.series('support', [2 * HOUR, HOUR])).rejects.toThrow(/ascend/);
		await expect(ledger.series('support', [HOUR, HOUR])).rejects.toThrow(/ascend/);
		if (ledger.backend !== 'memory') await expect(ledger.series('support', [0, 1.5])).rejects.toThrow(/whole number/);
	});

	it('matches the per-range aggregates of a randomized ledger on random local-day bounds', async () => {
		const ledger = await open();
		const rows = mixedDecisions(1500, 7);
		await write(ledger, rows);
		const rnd = random(11);
		for (const offsetMinutes of [0, 60, 120, 330, 345, -210]) {
			const start = Date.UTC(2026, 1, 1) - offsetMinutes * 60_000 + Math.floor(rnd() * HOUR);
			const bounds = [start];
			for (let i = 0; i < 45; i++) bounds.push(bounds[bounds.length - 1] + DAY + (rnd() < 0.1 ? HOUR : 0));
			for (const scope of ['support', null]) {
				// Expected: each range read on its own with aggregate(), summed per kind and vendor.
				const want: string[] = [];
				for (let i = 0; i + 1 < bounds.length; i++) {
					const sums = new Map<string, { count: number; cost: number }>();
					for (const g of await ledger.aggregate(scope, bounds[i], bounds[i + 1])) {
						const key = `${g.kind} ${g.vendor ?? '-'}`;
						const s = sums.get(key) ?? { count: 0, cost: 0 };
						s.count += g.count;
						s.cost += g.cost;
						sums.set(key, s);
					}
					for (const [key, s] of sums) want.push(`${i} ${key} ${s.count} ${Math.round(s.cost * 100) / 100}`);
				}
				expect(lines(await ledger.series(scope, bounds)), `offset ${offsetMinutes} scope ${scope}`).toEqual(want.sort());
			}
		}
	});
});
