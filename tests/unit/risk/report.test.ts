import { describe, expect, it } from 'vitest';

import type { AggregateRow } from '../../../ledger/model';
import { computeRiskReport } from '../../../domain/risk/report';
import type { RiskThresholds } from '../../../domain/risk/thresholds';
import { cell, vendorCells } from './rows';

const DAY = 86_400_000;
const window = { from: 30 * DAY, to: 60 * DAY };
const previousWindow = { from: 0, to: 30 * DAY };

function report(current: AggregateRow[], previous: AggregateRow[] = [], thresholds?: Partial<RiskThresholds>) {
	return computeRiskReport({ current, previous, window, previousWindow, thresholds });
}

describe('vendor risk report', () => {
	it('40/30/20/10: shares, HHI 3,000, 3.33 effective vendors, only the 40% vendor above the 30% line', () => {
		const r = report([
			...vendorCells({ acme: 40, bolt: 30, cura: 20, dyna: 10 }),
			cell({ count: 100 }),
		]);
		expect(r.totals).toEqual({ tickets: 200, internal: 100, delegated: 100, delegatedCost: 0 });
		expect(r.vendors.map((v) => [v.vendor, v.shareOfDelegated, v.shareOfAll])).toEqual([
			['acme', 0.4, 0.2],
			['bolt', 0.3, 0.15],
			['cura', 0.2, 0.1],
			['dyna', 0.1, 0.05],
		]);
		expect(r.concentration.cr1).toEqual({ vendor: 'acme', share: 0.4 });
		expect(r.concentration.cr2).toBeCloseTo(0.7, 12);
		expect(r.concentration.hhi).toBeCloseTo(3000, 9);
		expect(r.concentration.effectiveVendors).toBeCloseTo(3.33, 2);
		expect(r.concentration.bands).toEqual({ us2010: 'high', us2023: 'high' });
		// HHI says "highly concentrated" but 3.33 effective vendors is above 2: context, not a flag.
		expect(r.concentration.level).toBe('ok');
		expect(r.vendors.map((v) => v.level)).toEqual(['warning', 'ok', 'ok', 'ok']);
		expect(r.level).toBe('warning');
		expect(r.alerts).toHaveLength(1);
		expect(r.alerts[0]).toMatchObject({ id: 'vendor:acme', subject: 'vendor', level: 'warning' });
		expect(r.alerts[0].message).toBe(
			'WARNING: Vendor "acme": handles 40.0% of delegated tickets (warning above 30%).',
		);
	});

	it('share of delegated cost differs from share of tickets when prices differ', () => {
		const r = report([cell({ vendor: 'acme', count: 10, cost: 300 }), cell({ vendor: 'bolt', count: 30, cost: 100 })]);
		const acme = r.vendors.find((v) => v.vendor === 'acme')!;
		expect(acme.shareOfDelegated).toBe(0.25);
		expect(acme.shareOfCost).toBe(0.75);
		expect(r.totals.delegatedCost).toBe(400);
	});

	it('empty ledger: nothing to flag, no effective count', () => {
		const r = report([]);
		expect(r.totals).toEqual({ tickets: 0, internal: 0, delegated: 0, delegatedCost: 0 });
		expect(r.vendors).toEqual([]);
		expect(r.concentration).toMatchObject({ vendors: 0, cr1: null, cr2: 0, hhi: 0, effectiveVendors: null, level: 'ok' });
		expect(r.level).toBe('ok');
		expect(r.alerts).toEqual([]);
	});

	it('only internal tickets: nothing delegated, nothing flagged', () => {
		const r = report([cell({ count: 500, topic: 'billing' })]);
		expect(r.totals.internal).toBe(500);
		expect(r.vendors).toEqual([]);
		expect(r.coverage).toEqual([]);
		expect(r.level).toBe('ok');
	});

	it('one vendor: critical share, one effective vendor, critical alert listed first', () => {
		const r = report(vendorCells({ acme: 20 }));
		expect(r.vendors[0]).toMatchObject({ vendor: 'acme', shareOfDelegated: 1, level: 'critical' });
		expect(r.concentration).toMatchObject({ hhi: 10_000, effectiveVendors: 1, level: 'warning' });
		expect(r.level).toBe('critical');
		expect(r.alerts.map((a) => [a.id, a.level])).toEqual([
			['vendor:acme', 'critical'],
			['concentration', 'warning'],
		]);
		expect(r.alerts[1].message).toContain('1.00 effective vendors (warning below 2)');
		expect(r.alerts[1].message).toContain('HHI 10,000 (2010 US guidelines: high, 2023: high)');
	});

	it('stays quiet below the minimum delegated volume, and flags once the threshold allows it', () => {
		expect(report(vendorCells({ acme: 5 })).level).toBe('ok');
		expect(report(vendorCells({ acme: 5 }), [], { minDelegated: 0 }).level).toBe('critical');
	});

	it('thresholds are configurable', () => {
		const current = vendorCells({ acme: 40, bolt: 30, cura: 20, dyna: 10 });
		expect(report(current, [], { shareWarning: 0.45 }).level).toBe('ok');
		expect(report(current, [], { shareCritical: 0.35 }).vendors[0].level).toBe('critical');
		expect(report(current, [], { minEffectiveVendors: 4 }).concentration.level).toBe('warning');
	});

	it('reports the change against the previous window in points', () => {
		const r = report(vendorCells({ acme: 60, bolt: 40 }), vendorCells({ acme: 20, bolt: 80 }));
		const acme = r.vendors.find((v) => v.vendor === 'acme')!;
		expect(acme.previousShare).toBe(0.2);
		expect(acme.change).toBeCloseTo(0.4, 12);
		expect(acme.previousTickets).toBe(20);
		expect(r.alerts[0].message).toBe(
			'CRITICAL: Vendor "acme": handles 60.0% of delegated tickets (critical above 50%), up 40.0 points on the previous window.',
		);
		expect(r.concentration.previousHhi).toBeCloseTo(6800, 9);
	});

	it('no previous window: change is unknown rather than "up 100 points"', () => {
		const r = report(vendorCells({ acme: 60, bolt: 40 }));
		expect(r.vendors[0].previousShare).toBeNull();
		expect(r.vendors[0].change).toBeNull();
		expect(r.alerts[0].message).not.toContain('points');
	});

	it('a vendor that disappears stays in the report with share 0 and its drop, and is not flagged', () => {
		const r = report(vendorCells({ acme: 30, bolt: 30, cura: 30 }), vendorCells({ acme: 20, bolt: 20, cura: 20, gone: 40 }));
		const gone = r.vendors.find((v) => v.vendor === 'gone')!;
		expect(gone).toMatchObject({ tickets: 0, shareOfDelegated: 0, previousShare: 0.4, disappeared: true, level: 'ok' });
		expect(gone.change).toBeCloseTo(-0.4, 12);
		expect(r.vendors.at(-1)!.vendor).toBe('gone');
		expect(r.concentration.vendors).toBe(3);
	});

	it('SLA attainment, reopen rate and CSAT come from recorded outcomes; SLA below target warns', () => {
		const r = report([
			cell({ vendor: 'acme', count: 25, slaKnown: 20, slaMet: 15, outcomeKnown: 20, reopened: 4, csatSum: 70, csatCount: 20 }),
			cell({ vendor: 'bolt', count: 25, slaKnown: 10, slaMet: 10 }),
			...vendorCells({ cura: 25, dyna: 25 }),
		]);
		const acme = r.vendors.find((v) => v.vendor === 'acme')!;
		expect(acme).toMatchObject({ slaAttainment: 0.75, slaKnown: 20, reopenRate: 0.2, averageCsat: 3.5, level: 'warning' });
		expect(acme.reasons).toEqual(['met the SLA on 75.0% of 20 tickets (target 90%)']);
		const bolt = r.vendors.find((v) => v.vendor === 'bolt')!;
		expect(bolt).toMatchObject({ slaAttainment: 1, reopenRate: null, averageCsat: null, level: 'ok' });
		expect(r.vendors.find((v) => v.vendor === 'cura')!.slaAttainment).toBeNull();
	});

	it('reopen rate and CSAT flag only when their thresholds are set', () => {
		const current = [
			cell({ vendor: 'acme', count: 25, outcomeKnown: 20, reopened: 6, csatSum: 60, csatCount: 20 }),
			...vendorCells({ bolt: 25, cura: 25, dyna: 25 }),
		];
		expect(report(current).level).toBe('ok');
		const flagged = report(current, [], { maxReopenRate: 0.1, minCsat: 4 });
		expect(flagged.vendors.find((v) => v.vendor === 'acme')!.reasons).toEqual([
			'reopen rate 30.0% (warning above 10%)',
			'average CSAT 3.00 over 20 ratings (warning below 4)',
		]);
	});

	it('topics and functions one vendor carries alone have no substitute', () => {
		const r = report([
			cell({ vendor: 'acme', count: 12, topic: 'billing', channel: 'email', language: 'en' }),
			cell({ vendor: 'acme', count: 10, topic: 'api', channel: 'email', language: 'en' }),
			cell({ vendor: 'bolt', count: 10, topic: 'api', channel: 'email', language: 'en' }),
			cell({ vendor: 'cura', count: 8, topic: 'refunds', channel: 'phone', language: 'de' }),
			cell({ count: 3, topic: 'refunds', channel: 'email', language: 'de' }),
			cell({ vendor: 'dyna', count: 2, topic: 'legal', channel: 'email', language: 'en' }),
		]);
		const byId = new Map(r.coverage.map((c) => [`${c.dimension}:${c.key}`, c]));
		expect(byId.get('topic:billing')).toMatchObject({ noSubstitute: true, level: 'warning', delegated: 12, internal: 0 });
		expect(byId.get('topic:billing')!.reasons[0]).toBe(
			'no substitute: acme carries all 12 delegated tickets and the internal team handled none',
		);
		expect(byId.get('topic:api')).toMatchObject({ noSubstitute: false, level: 'ok' });
		expect(byId.get('topic:api')!.vendors).toEqual([
			{ vendor: 'acme', tickets: 10, share: 0.5 },
			{ vendor: 'bolt', tickets: 10, share: 0.5 },
		]);
		// The internal team handled refunds too: a fallback exists.
		expect(byId.get('topic:refunds')).toMatchObject({ noSubstitute: false, internal: 3, level: 'ok' });
		// Too few tickets to call it a single point of failure, but still listed as such.
		expect(byId.get('topic:legal')).toMatchObject({ noSubstitute: true, level: 'ok' });
		expect(byId.get('channel:phone')).toMatchObject({ noSubstitute: true, level: 'warning' });
		expect(byId.get('language:de')).toMatchObject({ noSubstitute: false, internal: 3 });
		expect(r.alerts.filter((a) => a.subject !== 'vendor').map((a) => a.id)).toEqual(['topic:billing', 'channel:phone']);
		expect(r.alerts.find((a) => a.id === 'channel:phone')!.message).toBe(
			'WARNING: Channel "phone": no substitute: cura carries all 8 delegated tickets and the internal team handled none.',
		);
	});

	it('no-substitute level is configurable, including off', () => {
		const current = [cell({ vendor: 'acme', count: 30, topic: 'billing' }), ...vendorCells({ bolt: 30, cura: 30, dyna: 30 })];
		expect(report(current, [], { noSubstituteLevel: 'critical' }).alerts[0]).toMatchObject({ id: 'topic:billing', level: 'critical' });
		expect(report(current, [], { noSubstituteLevel: 'ok' }).alerts).toEqual([]);
	});

	it('external rows without a vendor id are counted under an explicit unknown vendor', () => {
		const r = report([cell({ kind: 'external', vendor: null, count: 10 }), ...vendorCells({ acme: 10 })]);
		expect(r.vendors.map((v) => v.vendor).sort()).toEqual(['(unknown vendor)', 'acme']);
		expect(r.totals.delegated).toBe(20);
	});
});
