import { describe, expect, it } from 'vitest';

import { summarizeDelegations } from '../../../domain/risk/summary';
import { cell } from './rows';

describe('delegation summary', () => {
	it('counts, shares and cost per vendor and per reason', () => {
		const s = summarizeDelegations([
			cell({ vendor: 'acme', reason: 'specialist', count: 30, cost: 90 }),
			cell({ vendor: 'acme', reason: 'overflow', count: 10, cost: 30 }),
			cell({ vendor: 'bolt', reason: 'overflow', count: 60, cost: 60 }),
			cell({ reason: 'keepInternal', count: 50 }),
			cell({ reason: 'overflow', count: 50 }),
		]);
		expect(s).toMatchObject({ tickets: 200, internal: 100, delegated: 100, cost: 180 });
		expect(s.byVendor).toEqual([
			{ vendor: 'bolt', tickets: 60, share: 0.6, shareOfAll: 0.3, cost: 60, shareOfCost: 60 / 180 },
			{ vendor: 'acme', tickets: 40, share: 0.4, shareOfAll: 0.2, cost: 120, shareOfCost: 120 / 180 },
		]);
		expect(s.byReason).toEqual([
			{ reason: 'overflow', tickets: 120, internal: 50, delegated: 70, cost: 90 },
			{ reason: 'keepInternal', tickets: 50, internal: 50, delegated: 0, cost: 0 },
			{ reason: 'specialist', tickets: 30, internal: 0, delegated: 30, cost: 90 },
		]);
	});

	it('an empty window is all zeros', () => {
		expect(summarizeDelegations([])).toEqual({ tickets: 0, internal: 0, delegated: 0, cost: 0, byVendor: [], byReason: [] });
	});
});
