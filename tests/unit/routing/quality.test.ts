import { describe, expect, it } from 'vitest';

import { parsePolicy, PolicyError } from '../../../domain/policy/parse';
import { judgeQuality, vendorQuality } from '../../../domain/risk/quality';
import { qualityTransitions } from '../../../domain/risk/quality-transitions';
import type { QualityCounts } from '../../../ledger/model';
import { policy, route, snapshot, ticket, TEAM } from './fixtures';

const counts = (c: Partial<QualityCounts>): QualityCounts => ({ closed: 0, returned: 0, slaKnown: 0, slaMet: 0, outcomeKnown: 0, reopened: 0, csatSum: 0, csatCount: 0, ...c });

function issuesOf(quality: unknown, kind = 'external'): string[] {
	try {
		parsePolicy({ destinations: [TEAM, { id: 'acme', kind, quality }], defaultDestination: 'team' });
	} catch (error) {
		expect(error).toBeInstanceOf(PolicyError);
		return (error as PolicyError).issues;
	}
	throw new Error('expected the policy to be rejected');
}

describe('quality settings in the policy', () => {
	it('refuses settings that could never work, naming the field', () => {
		expect(issuesOf({ lastResolved: 20 })).toEqual(['destinations[1].quality: needs at least one limit: minSlaMetRate, minAvgCsat, maxReopenRate or maxReturnRate']);
		expect(issuesOf({ minSlaMetRate: 1.5 })).toEqual(['destinations[1].quality.minSlaMetRate: must be between 0 and 1']);
		expect(issuesOf({ maxReturnRate: -0.1 })).toEqual(['destinations[1].quality.maxReturnRate: must be between 0 and 1']);
		expect(issuesOf({ minSlaMetRate: 0.6, lastResolved: 10, windowDays: 7 })).toContain('destinations[1].quality.windowDays: give either lastResolved or windowDays, not both');
		expect(issuesOf({ minSlaMetRate: 0.6, lastResolved: 10, minSample: 11 })).toEqual([
			'destinations[1].quality.minSample: must not be above the sample of 10 (lastResolved): the limits would never apply',
		]);
		// The default sample is the last 50: a minimum of 51 never applies either.
		expect(issuesOf({ minSlaMetRate: 0.6, minSample: 51 })).toHaveLength(1);
		expect(issuesOf({ minSlaMetRate: 0.6, lastResolved: 0 })).toEqual(['destinations[1].quality.lastResolved: must be 1 or more']);
		expect(issuesOf({ minSlaMetRate: 0.6, sample: 5 })).toHaveLength(1);
		expect(issuesOf({ minSlaMetRate: 0.6 }, 'internal')).toEqual(['destinations[1].quality: applies to external destinations only']);
	});
});

describe('judging quality', () => {
	const limits = { minSlaMetRate: 0.6, minAvgCsat: 4, maxReopenRate: 0.2, maxReturnRate: 0.1, minSample: 10, recoverMargin: 0.05, recoverMarginCsat: 0.25 };

	it('each figure against its own limit and its own sample', () => {
		// 10 with an SLA outcome, 6 met: 60% is not below 60%.
		expect(judgeQuality(limits, counts({ closed: 10, slaKnown: 10, slaMet: 6 })).level).toBe('ok');
		// 5 met of 10: 50% < 60%.
		expect(judgeQuality(limits, counts({ closed: 10, slaKnown: 10, slaMet: 5 })).breach).toMatchObject({ figure: 'slaMetRate', value: 0.5, threshold: 0.6, sample: 10 });
		// CSAT 39 / 10 = 3.9 < 4, and only 9 SLA outcomes known (not judged).
		expect(judgeQuality(limits, counts({ closed: 10, slaKnown: 9, slaMet: 0, csatSum: 39, csatCount: 10 })).breach).toMatchObject({ figure: 'avgCsat', value: 3.9, text: 'average CSAT 3.9 over 10 outcomes (minimum 4)' });
		// 3 reopened of 12 known = 25% > 20%.
		expect(judgeQuality(limits, counts({ closed: 12, outcomeKnown: 12, reopened: 3 })).breach?.text).toBe('reopen rate 25.0% over 12 outcomes (maximum 20%)');
		// 2 returned of 10 finished = 20% > 10%.
		expect(judgeQuality(limits, counts({ closed: 10, returned: 2 })).breach?.figure).toBe('returnRate');
		// Nothing with 10 outcomes: insufficient.
		expect(judgeQuality(limits, counts({ closed: 9, slaKnown: 9, slaMet: 0, returned: 9 }))).toEqual({ level: 'insufficient', breach: null });
	});

	it('once below, a vendor recovers only past the limit plus the margin (minus, for maximums)', () => {
		// SLA 62% after being below: the bar is 65%.
		expect(judgeQuality(limits, counts({ closed: 50, slaKnown: 50, slaMet: 31 }), true).breach?.text).toBe('SLA met 62.0% over 50 outcomes (minimum 60%; recovers at 65%)');
		expect(judgeQuality(limits, counts({ closed: 20, slaKnown: 20, slaMet: 13 }), true).level).toBe('ok');
		// Reopen rate 16% after being below: must fall to 15%.
		expect(judgeQuality(limits, counts({ closed: 25, outcomeKnown: 25, reopened: 4 }), true).level).toBe('below');
		expect(judgeQuality(limits, counts({ closed: 20, outcomeKnown: 20, reopened: 3 }), true).level).toBe('ok');
		// CSAT 4.2 after being below: must reach 4.25.
		expect(judgeQuality(limits, counts({ closed: 10, csatSum: 42, csatCount: 10 }), true).level).toBe('below');
	});

	it('the router diverts to the next target with the figure and the limit, and keeps the state for the next batch', () => {
		const compiled = policy({
			destinations: [
				TEAM,
				{ id: 'acme', kind: 'external', quality: { minSlaMetRate: 0.6, lastResolved: 20, minSample: 20 } },
				{ id: 'globex', kind: 'external' },
			],
			rules: [{ id: 'all', kind: 'specialist', targets: ['acme', 'globex'] }],
		});
		const below = route(compiled, [ticket('T1')], snapshot({ quality: { acme: counts({ closed: 20, slaKnown: 20, slaMet: 11 }) } }));
		expect(below.delegations[0]).toMatchObject({ destination: 'globex', guardrail: { name: 'quality', wanted: 'acme', detail: 'acme quality: SLA met 55.0% over 20 outcomes (minimum 60%), last 20 resolved' } });
		expect(below.delegations[0].explanation).toContain('Guardrail quality: acme quality: SLA met 55.0%');
		expect(below.qualityBelow).toEqual({ acme: true });
		// No counts (ledger unavailable): not judged, state untouched.
		const unknown = route(compiled, [ticket('T2')], snapshot({ qualityBelow: { acme: true } }), { ledgerAvailable: false });
		expect(unknown.delegations[0].destination).toBe('acme');
		expect(unknown.qualityBelow).toEqual({});
	});

	it('the report: per vendor, sorted, without hysteresis; the trigger speaks only when crossing the limits', () => {
		const report = vendorQuality({ zeta: counts({ closed: 3, slaKnown: 3, slaMet: 3 }), acme: counts({ closed: 20, slaKnown: 20, slaMet: 10 }) }, { minSlaMetRate: 0.6, minSample: 20 });
		expect(report).toEqual([
			{ vendor: 'acme', resolved: 20, slaMetRate: 0.5, avgCsat: null, reopenRate: null, returnRate: 0, level: 'below', reason: 'SLA met 50.0% over 20 outcomes (minimum 60%)' },
			{ vendor: 'zeta', resolved: 3, slaMetRate: 1, avgCsat: null, reopenRate: null, returnRate: 0, level: 'insufficient', reason: null },
		]);
		const first = qualityTransitions(report, {});
		expect(first.transitions.map((t) => [t.vendor, t.from, t.to])).toEqual([['acme', 'ok', 'below']]);
		expect(first.memory).toEqual({ acme: 'below' });
		expect(qualityTransitions(report, first.memory).transitions).toEqual([]);
		// acme gone from the window: no sample, no longer below → a recovery item; prototype-named vendors stay data.
		const gone = qualityTransitions([{ ...report[1], vendor: '__proto__' }], first.memory);
		expect(gone.transitions.map((t) => [t.vendor, t.from, t.to])).toEqual([['acme', 'below', 'insufficient']]);
		expect(gone.memory).toEqual({});
	});
});
