import { describe, expect, it } from 'vitest';

import { loadPolicy } from '../../../domain/policy/compile';
import { readDashboard } from '../../../domain/report/reads';
import { MemoryLedger } from '../../doubles/memory-ledger';
import { delegation } from '../risk/rows';

const DAY = 86_400_000;
const now = Date.parse('2026-11-26T12:00:00Z');
const options = { now, days: 30, timeZone: 'UTC', wholeDays: false, scope: 'default' } as const;
const policy = loadPolicy({
	scope: 'default',
	timezone: 'UTC',
	defaultDestination: 'team',
	destinations: [
		{ id: 'team', kind: 'internal' },
		{ id: 'acme', kind: 'external', capacityPerMonth: 10 },
	],
});

/**
 * A ledger whose aggregates answer only once the series and the snapshot have been asked for: read one after
 * another, the dashboard would wait forever; read side by side, every read is in flight before any answers.
 */
class GatedLedger extends MemoryLedger {
	private open!: () => void;
	private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
	asked = new Set<string>();

	private ask(name: string) {
		this.asked.add(name);
		if (this.asked.has('series') && this.asked.has('snapshot')) this.open();
	}
	override async aggregate(...args: Parameters<MemoryLedger['aggregate']>) {
		this.ask('aggregate');
		await this.gate;
		return super.aggregate(...args);
	}
	override async series(...args: Parameters<MemoryLedger['series']>) {
		this.ask('series');
		return super.series(...args);
	}
	override async snapshot(...args: Parameters<MemoryLedger['snapshot']>) {
		this.ask('snapshot');
		return super.snapshot(...args);
	}
}

describe('dashboard reads', () => {
	it('asks for the report, the daily series and the caps snapshot at once, and each answer is the right one', async () => {
		const ledger = new GatedLedger();
		// Three acme tickets two days ago, one the day before: 4 of a monthly cap of 10.
		ledger.seed([
			delegation({ vendor: 'acme', decidedAt: now - 2 * DAY }),
			delegation({ vendor: 'acme', decidedAt: now - 2 * DAY + 1 }),
			delegation({ vendor: 'acme', decidedAt: now - 2 * DAY + 2 }),
			delegation({ vendor: 'acme', decidedAt: now - DAY }),
		]);
		const timeout = new Promise<never>((_, reject) => setTimeout(() => reject(new Error('reads waited on each other')), 2000));
		const reads = await Promise.race([readDashboard(ledger, options, { series: true, usagePolicy: policy }), timeout]);
		expect(reads.report.totals.delegated).toBe(4);
		const acme = reads.series!.vendors.find((v) => v.vendor === 'acme')!;
		expect(acme.tickets.reduce((a, b) => a + b, 0)).toBe(4);
		const monthly = reads.usage!.vendors.find((v) => v.vendor === 'acme')!.limits.find((l) => l.limit === 'capacityPerMonth')!;
		expect(monthly.used).toBe(4);
		expect(monthly.cap).toBe(10);
	});

	it('reads only what the parts ask for: no series, no snapshot for a bare report', async () => {
		const ledger = new MemoryLedger();
		const asked: string[] = [];
		ledger.series = async () => (asked.push('series'), []);
		ledger.snapshot = async () => {
			asked.push('snapshot');
			throw new Error('not asked for');
		};
		const reads = await readDashboard(ledger, options, { series: false, usagePolicy: null });
		expect(reads.series).toBeNull();
		expect(reads.usage).toBeUndefined();
		expect(asked).toEqual([]);
	});

	it('shows no usage for a report over every scope: caps are counted per policy scope', async () => {
		const ledger = new MemoryLedger();
		const reads = await readDashboard(ledger, { ...options, scope: null }, { series: true, usagePolicy: policy });
		expect(reads.usage).toBeUndefined();
		expect(reads.series).not.toBeNull();
	});
});
