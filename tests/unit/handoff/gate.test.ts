import { describe, expect, it } from 'vitest';

import { checkTerms } from '../../../domain/handoff/gate';

const terms = { dpa: true, dataRegions: ['eu', 'uk'], allowedFields: ['subject'] };

describe('data-protection gate', () => {
	it('lets a ticket through when the DPA is on file and the region is allowed (case-insensitive)', () => {
		expect(checkTerms({ vendor: 'acme', customerRegion: 'EU', vendorTerms: terms })).toBeNull();
	});

	it('treats an empty region list as any region, and an unknown customer region as allowed', () => {
		expect(checkTerms({ vendor: 'acme', customerRegion: 'us', vendorTerms: { ...terms, dataRegions: [] } })).toBeNull();
		expect(checkTerms({ vendor: 'acme', customerRegion: null, vendorTerms: terms })).toBeNull();
	});

	it('refuses without terms, naming the vendor', () => {
		expect(checkTerms({ vendor: 'acme', customerRegion: 'eu', vendorTerms: null })).toMatchObject({ refusal: 'refused_no_terms', message: expect.stringContaining('"acme"') });
	});

	it('refuses a vendor without a DPA', () => {
		expect(checkTerms({ vendor: 'acme', customerRegion: 'eu', vendorTerms: { ...terms, dpa: false } })?.refusal).toBe('refused_no_dpa');
	});

	it('refuses a customer region outside the vendor regions, naming both', () => {
		const verdict = checkTerms({ vendor: 'acme', customerRegion: 'us', vendorTerms: terms });
		expect(verdict).toEqual({ refusal: 'refused_region', message: 'Customer region "us" is outside vendor "acme"\'s allowed data regions (eu, uk)' });
	});

	it('refuses when no field may leave', () => {
		expect(checkTerms({ vendor: 'acme', customerRegion: 'eu', vendorTerms: { ...terms, allowedFields: [] } })?.refusal).toBe('refused_no_fields');
	});
});
