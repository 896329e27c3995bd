import { describe, expect, it } from 'vitest';

import { DEFAULT_THRESHOLDS } from '../../../domain/risk/thresholds';
import { readRiskOptions, riskProperties } from '../../../nodes/VendorRisk/properties';

const reader = (params: Record<string, unknown>) => (name: string, fallback: unknown) => params[name] ?? fallback;

describe('Vendor Risk parameters', () => {
	it('the editor defaults are the documented core defaults (percent in the editor, fractions in the core)', () => {
		const collection = riskProperties.find((p) => p.name === 'thresholds')!;
		const defaults = Object.fromEntries((collection.options as Array<{ name: string; default: unknown }>).map((o) => [o.name, o.default]));
		expect(defaults).toEqual({
			shareWarning: DEFAULT_THRESHOLDS.shareWarning * 100,
			shareCritical: DEFAULT_THRESHOLDS.shareCritical * 100,
			slaTarget: DEFAULT_THRESHOLDS.slaTarget * 100,
			minEffectiveVendors: DEFAULT_THRESHOLDS.minEffectiveVendors,
			minDelegated: DEFAULT_THRESHOLDS.minDelegated,
			minTopicTickets: DEFAULT_THRESHOLDS.minTopicTickets,
			noSubstituteLevel: DEFAULT_THRESHOLDS.noSubstituteLevel,
			minQualitySample: DEFAULT_THRESHOLDS.minQualitySample,
			// 0 means "off" in the editor; null in the core.
			maxReopenRate: 0,
			minCsat: 0,
			maxReturnRate: 0,
		});
		expect(riskProperties.find((p) => p.name === 'windowDays')!.default).toBe(30);
	});

	it('reads percentages as fractions, empty scope as every scope, and the workflow time zone by default', () => {
		const options = readRiskOptions(
			reader({ policyScope: ' ', windowDays: 7, thresholds: { shareWarning: 25, slaTarget: 95, maxReopenRate: 0, minCsat: 4 } }),
			1000,
			'Europe/Paris',
		);
		expect(options).toEqual({
			scope: null,
			now: 1000,
			days: 7,
			timeZone: 'Europe/Paris',
			wholeDays: false,
			thresholds: { shareWarning: 0.25, slaTarget: 0.95, minCsat: 4 },
		});
	});

	it('refuses settings that cannot work, naming the parameter', () => {
		expect(() => readRiskOptions(reader({ windowDays: 0 }), 0, 'UTC')).toThrow('Window (Days) must be at least 1, got 0');
		expect(() => readRiskOptions(reader({ thresholds: { shareCritical: 20 } }), 0, 'UTC')).toThrow(
			'Share Critical Above (20%) must not be below Share Warning Above (30%)',
		);
		expect(() => readRiskOptions(reader({ windowOptions: { timeZone: 'Nowhere/City' } }), 0, 'UTC')).toThrow('Unknown time zone "Nowhere/City"');
	});
});
