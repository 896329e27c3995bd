import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';

import { bandParams, bandSql } from '../../ledger/sqlite/bands';

/** The band SQLite computes for each value, in real SQLite: the last bound at or below it, NULL below the first. */
function bandsOf(bounds: number[], values: number[]): Array<number | null> {
	const db = new DatabaseSync(':memory:');
	const band = db.prepare(`SELECT ${bandSql('x', bounds)} AS band FROM (SELECT ? AS x)`);
	return values.map((x) => (band.get(...bandParams(bounds), x) as { band: number | null }).band);
}

it('puts a value in the band of the last bound at or below it, and none below the first', () => {
	expect(bandsOf([10, 20, 30], [5, 9, 10, 15, 19, 20, 29, 30, 99])).toEqual([null, null, 10, 10, 10, 20, 20, 30, 30]);
});

it('with one bound: that band from the bound on', () => {
	expect(bandsOf([1_700_000_000_000], [1_699_999_999_999, 1_700_000_000_000, 1_800_000_000_000])).toEqual([null, 1_700_000_000_000, 1_700_000_000_000]);
});

it('groups rows by band in a GROUP BY, as the snapshot reads them', () => {
	const db = new DatabaseSync(':memory:');
	db.exec('CREATE TABLE t (x INTEGER, n INTEGER)');
	const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
	for (const [x, n] of [[100, 1], [150, 2], [199, 4], [200, 8], [260, 16], [300, 32], [301, 64]]) insert.run(x, n);
	const bounds = [100, 200, 300];
	const rows = db.prepare(`SELECT ${bandSql('x', bounds)} AS band, sum(n) AS n FROM t GROUP BY 1 ORDER BY 1`).all(...bandParams(bounds));
	expect(rows.map((r) => ({ ...r }))).toEqual([{ band: 100, n: 7 }, { band: 200, n: 24 }, { band: 300, n: 96 }]);
});
