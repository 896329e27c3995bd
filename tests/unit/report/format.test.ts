import { describe, expect, it } from 'vitest';

import { decimal, money, percent, percentOrNa, signedPoints } from '../../../domain/risk/format';
import { concentrationText, totalsText, vendorText } from '../../../domain/report/figures';
import type { Concentration, VendorRisk } from '../../../domain/risk/report';

describe('figures for people', () => {
	it('writes shares with one decimal: 6 of 11 is 54.5%, not 0.5454545454545454', () => {
		expect(percent(6 / 11)).toBe('54.5%');
		expect(percent(1)).toBe('100.0%');
		expect(percent(0)).toBe('0.0%');
		expect(percent(2 / 3)).toBe('66.7%');
		expect(percentOrNa(null)).toBe('n/a');
	});

	it('writes a change in points with its sign and a true minus', () => {
		expect(signedPoints(0.3)).toBe('+30.0 pts');
		expect(signedPoints(-0.0523)).toBe('\u22125.2 pts');
		expect(signedPoints(0.0004)).toBe('±0.0 pts');
		expect(signedPoints(-0.0004)).toBe('±0.0 pts');
		expect(signedPoints(null)).toBe('n/a');
	});

	it('writes money with thousands separators and two decimals, ratios with two decimals', () => {
		expect(money(1234.5)).toBe('1,234.50');
		expect(money(0)).toBe('0.00');
		expect(money(1_000_000)).toBe('1,000,000.00');
		// 40/30/20/10 → HHI 3,000 → 10,000 / 3,000 = 3.33 effective vendors (the design notes' example).
		expect(decimal(10_000 / 3_000)).toBe('3.33');
		expect(decimal(null)).toBe('n/a');
	});

	it('puts every vendor figure beside its raw number', () => {
		const v: VendorRisk = {
			vendor: 'acme',
			tickets: 1200,
			cost: 5400,
			shareOfDelegated: 6 / 11,
			shareOfAll: 0.3,
			shareOfCost: 0.5,
			previousTickets: 10,
			previousShare: 0.25,
			change: 6 / 11 - 0.25,
			disappeared: false,
			slaAttainment: 9 / 20,
			slaKnown: 20,
			reopenRate: null,
			averageCsat: 4.125,
			csatCount: 8,
			level: 'critical',
			reasons: [],
		};
		expect(vendorText(v)).toEqual({
			tickets: '1,200',
			shareOfDelegated: '54.5%',
			shareOfAll: '30.0%',
			shareOfCost: '50.0%',
			cost: '5,400.00',
			previousShare: '25.0%',
			change: '+29.5 pts', // 54.545… − 25 = 29.545… points
			slaAttainment: '45.0%',
			reopenRate: 'n/a',
			averageCsat: '4.13', // 4.125 is exact in binary; toFixed picks the larger of two equally near (ECMA-262)
		});
	});

	it('writes concentration and totals; an empty previous window has no HHI rather than 0', () => {
		const c: Concentration = {
			vendors: 4,
			cr1: { vendor: 'acme', share: 0.4 },
			cr2: 0.7,
			hhi: 3000,
			effectiveVendors: 10_000 / 3000,
			previousHhi: 0,
			bands: { us2010: 'high', us2023: 'high' },
			level: 'warning',
			reasons: [],
		};
		expect(concentrationText(c, 0)).toEqual({ cr1: 'acme 40.0%', cr2: '70.0%', hhi: '3,000', previousHhi: 'n/a', effectiveVendors: '3.33' });
		expect(concentrationText({ ...c, previousHhi: 2500 }, 12).previousHhi).toBe('2,500');
		expect(totalsText({ tickets: 2530, internal: 1200, delegated: 1330, delegatedCost: 7145 })).toEqual({
			tickets: '2,530',
			internal: '1,200',
			delegated: '1,330',
			delegatedShare: '52.6%', // 1330 / 2530 = 0.52569…
			delegatedCost: '7,145.00',
		});
	});
});
