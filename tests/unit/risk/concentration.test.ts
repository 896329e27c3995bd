import { describe, expect, it } from 'vitest';

import { concentrationRatio, effectiveVendors, herfindahl } from '../../../domain/risk/concentration';
import { HHI_BANDS, hhiBand } from '../../../domain/risk/thresholds';

describe('concentration measures', () => {
	it('40/30/20/10 gives HHI 3,000, 3.33 effective vendors, CR1 40%, CR2 70%', () => {
		const shares = [0.3, 0.1, 0.4, 0.2];
		expect(herfindahl(shares)).toBeCloseTo(3000, 9);
		expect(effectiveVendors(herfindahl(shares))).toBeCloseTo(3.333, 3);
		expect(concentrationRatio(shares, 1)).toBeCloseTo(0.4, 12);
		expect(concentrationRatio(shares, 2)).toBeCloseTo(0.7, 12);
	});

	it('one vendor is the maximum: HHI 10,000 and one effective vendor', () => {
		expect(herfindahl([1])).toBe(10_000);
		expect(effectiveVendors(10_000)).toBe(1);
	});

	it('n equal vendors count as n effective vendors', () => {
		expect(effectiveVendors(herfindahl([0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125, 0.125]))).toBeCloseTo(8, 9);
	});

	it('nothing delegated: HHI 0, no effective count, CR 0', () => {
		expect(herfindahl([])).toBe(0);
		expect(effectiveVendors(0)).toBeNull();
		expect(concentrationRatio([], 2)).toBe(0);
	});

	it('reads HHI against both US guideline bands', () => {
		expect(hhiBand(3000, HHI_BANDS.us2010)).toBe('high');
		expect(hhiBand(2000, HHI_BANDS.us2010)).toBe('moderate');
		expect(hhiBand(2000, HHI_BANDS.us2023)).toBe('high');
		expect(hhiBand(2500, HHI_BANDS.us2010)).toBe('moderate');
		expect(hhiBand(1200, HHI_BANDS.us2010)).toBe('unconcentrated');
		expect(hhiBand(1200, HHI_BANDS.us2023)).toBe('moderate');
		expect(hhiBand(900, HHI_BANDS.us2023)).toBe('unconcentrated');
	});
});
