import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

import { SqliteLedger } from '../../../ledger/sqlite/sqlite-ledger';

import { MemoryLedger } from '../../doubles/memory-ledger';
import { assessRisk } from '../../../domain/risk/assess';
import { dailyShareSeries } from '../../../domain/risk/series';
import { exceedsShareCap, shareOf } from '../../../domain/risk/share';
import { delegation, seedLedger, spread } from './rows';

const DAY = 86_400_000;
const now = Date.parse('2026-11-26T12:00:00Z');
const rolling = { now, days: 30, timeZone: 'UTC', wholeDays: false, scope: 'default' } as const;

describe('risk report read from a ledger', () => {
	it('window boundaries: younger than the window, as the share cap counts — one exactly 30 days old is the previous window\'s', async () => {
		const ledger = new MemoryLedger();
		const edge = now - 30 * DAY;
		ledger.seed([
			delegation({ vendor: 'acme', decidedAt: edge }),
			delegation({ vendor: 'acme', decidedAt: now - 1 }),
			delegation({ vendor: 'bolt', decidedAt: now }),
			delegation({ vendor: 'bolt', decidedAt: edge + 1 }),
			delegation({ vendor: 'cura', decidedAt: edge - 30 * DAY + 1 }),
			delegation({ vendor: 'dyna', decidedAt: edge - 30 * DAY }),
		]);
		const r = await assessRisk(ledger, rolling);
		expect(r.totals.delegated).toBe(3);
		expect(r.previousTotals.delegated).toBe(2);
		expect(r.vendors.map((v) => [v.vendor, v.tickets, v.previousTickets])).toEqual([
			['bolt', 2, 0],
			['acme', 1, 1],
			['cura', 0, 1],
		]);
	});

	it('time zone: whole days in Asia/Tokyo include a decision made at 23:30 UTC the day before', async () => {
		const ledger = new MemoryLedger();
		// 2026-11-19T15:00Z is midnight of the 20th in Tokyo (UTC+9).
		ledger.seed([
			delegation({ vendor: 'acme', decidedAt: Date.parse('2026-11-19T15:30:00Z') }),
			delegation({ vendor: 'bolt', decidedAt: Date.parse('2026-11-19T14:30:00Z') }),
		]);
		const options = { ...rolling, days: 6, wholeDays: true };
		const tokyo = await assessRisk(ledger, { ...options, timeZone: 'Asia/Tokyo' });
		expect(tokyo.vendors.find((v) => v.tickets > 0)!.vendor).toBe('acme');
		const utc = await assessRisk(ledger, { ...options, timeZone: 'UTC' });
		expect(utc.vendors.filter((v) => v.tickets > 0).map((v) => v.vendor)).toEqual([]);
	});

	it('reads one scope, or all of them with a null scope', async () => {
		const ledger = new MemoryLedger();
		ledger.seed([delegation({ vendor: 'acme', decidedAt: now - DAY }), delegation({ vendor: 'bolt', decidedAt: now - DAY, scope: 'emea' })]);
		expect((await assessRisk(ledger, rolling)).totals.delegated).toBe(1);
		expect((await assessRisk(ledger, { ...rolling, scope: null })).totals.delegated).toBe(2);
	});

	it('daily share series: one bucket per local day, shares of that day', async () => {
		const ledger = new MemoryLedger();
		const start = Date.parse('2026-11-23T00:00:00Z');
		ledger.seed([
			...spread(3, start, start + DAY, { vendor: 'acme' }),
			...spread(1, start, start + DAY, { vendor: 'bolt' }),
			...spread(2, start + 2 * DAY, start + 3 * DAY, { vendor: 'bolt' }),
			...spread(5, start, start + 3 * DAY),
		]);
		const series = await dailyShareSeries(ledger, 'default', { from: start, to: start + 3 * DAY }, 'UTC');
		expect(series.days.map((d) => d.date)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
		expect(series.vendors).toEqual([
			{ vendor: 'acme', tickets: [3, 0, 0], shares: [0.75, null, 0] },
			{ vendor: 'bolt', tickets: [1, 0, 2], shares: [0.25, null, 1] },
		]);
	});
});

/** Deterministic pseudo-random numbers, so a failure reproduces. */
function random(seed: number) {
	return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

describe('one definition of share: the report and the router cap agree', () => {
	const cap = 0.3;

	async function stateOf(counts: Record<string, number>) {
		const ledger = new MemoryLedger();
		for (const [vendor, n] of Object.entries(counts)) ledger.seed(spread(n, now - 29 * DAY, now - 1000, { vendor }));
		ledger.seed(spread(37, now - 29 * DAY, now - 1000));
		const report = await assessRisk(ledger, { ...rolling, thresholds: { shareWarning: cap, minDelegated: 0 } });
		const snapshot = await ledger.snapshot('default', {
			now,
			ticketIds: [],
			vendors: Object.keys(counts),
			internalWindowMs: DAY,
			shareWindowMs: 30 * DAY,
			monthStart: now - 10 * DAY,
		});
		return { report, snapshot };
	}

	it('41/29/19/11: the vendor the report shows above 30% is exactly the one the cap stops at 30%', async () => {
		const { report, snapshot } = await stateOf({ acme: 41, bolt: 29, cura: 19, dyna: 11 });
		const above = report.vendors.filter((v) => v.shareOfDelegated > cap).map((v) => v.vendor);
		const stopped = Object.entries(snapshot.vendors)
			.filter(([, c]) => exceedsShareCap(c.inShareWindow, snapshot.delegatedInShareWindow, cap, 0))
			.map(([vendor]) => vendor);
		expect(above).toEqual(['acme']);
		expect(stopped).toEqual(above);
		expect(report.alerts.map((a) => a.id)).toEqual(['vendor:acme']);
	});

	it('decisions exactly on the window edges count on the same side for the report and the cap (in-memory and SQLite)', async () => {
		const W = 30 * DAY;
		const edges = [
			delegation({ vendor: 'acme', decidedAt: now - W }), // exactly one window old: out of both, in the previous window
			delegation({ vendor: 'acme', decidedAt: now - W }),
			delegation({ vendor: 'bolt', decidedAt: now - W + 1 }), // a millisecond younger: in both
			delegation({ vendor: 'acme', decidedAt: now }),
			delegation({ vendor: 'bolt', decidedAt: now }),
			delegation({ vendor: 'bolt', decidedAt: now + 5000 }), // stamped by a worker whose clock is ahead
			delegation({ vendor: 'cura', decidedAt: now - 2 * W + 1 }), // the previous window's first millisecond
			delegation({ vendor: 'cura', decidedAt: now - 2 * W }), // before both windows
		];
		const memory = new MemoryLedger();
		memory.seed(edges);
		const sqlite = await SqliteLedger.open(join(mkdtempSync(join(tmpdir(), 'sd-share-edges-')), 'ledger.sqlite'));
		await seedLedger(sqlite, edges);
		try {
			for (const ledger of [memory, sqlite]) {
				const report = await assessRisk(ledger, { ...rolling, thresholds: { shareWarning: cap, minDelegated: 0 } });
				const snapshot = await ledger.snapshot('default', { now, ticketIds: [], vendors: ['acme', 'bolt', 'cura'], internalWindowMs: DAY, shareWindowMs: W, monthStart: now - 10 * DAY });
				expect(snapshot.delegatedInShareWindow, ledger.backend).toBe(4);
				expect(report.totals.delegated, ledger.backend).toBe(snapshot.delegatedInShareWindow);
				const reported = Object.fromEntries(report.vendors.map((v) => [v.vendor, v.shareOfDelegated]));
				expect(reported, ledger.backend).toEqual({ acme: 0.25, bolt: 0.75, cura: 0 });
				for (const [vendor, c] of Object.entries(snapshot.vendors)) {
					expect(reported[vendor] ?? 0).toBe(shareOf(c.inShareWindow, snapshot.delegatedInShareWindow));
					expect((reported[vendor] ?? 0) > cap).toBe(exceedsShareCap(c.inShareWindow - 1, snapshot.delegatedInShareWindow - 1, cap, 0));
				}
				// The edge rows left out of the current window are the previous window's, once each.
				expect(report.previousTotals.delegated, ledger.backend).toBe(3);
			}
		} finally {
			await sqlite.close();
		}
	});

	it('for random ledger states, every vendor\'s reported share is the share the cap computes, and "above X" means the cap would have stopped its last ticket', async () => {
		const next = random(42);
		for (let round = 0; round < 25; round++) {
			const counts: Record<string, number> = {};
			const vendors = 1 + Math.floor(next() * 6);
			for (let v = 0; v < vendors; v++) counts[`v${v}`] = 1 + Math.floor(next() * 60);
			const { report, snapshot } = await stateOf(counts);
			for (const v of report.vendors) {
				const c = snapshot.vendors[v.vendor];
				expect(v.shareOfDelegated).toBe(shareOf(c.inShareWindow, snapshot.delegatedInShareWindow));
				expect(v.shareOfDelegated > cap).toBe(exceedsShareCap(c.inShareWindow - 1, snapshot.delegatedInShareWindow - 1, cap, 0));
				expect(v.level !== 'ok').toBe(v.shareOfDelegated > cap);
			}
		}
	});
});
