import type { INodeProperties } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { readLimits, vendorCallbackProperties } from '../../../nodes/VendorCallback/properties';
import { DEFAULT_CALLBACK_LIMITS } from '../../../vendor-boundary/callback/verify';

describe('Vendor Callback options', () => {
	const options = (vendorCallbackProperties.find((p) => p.name === 'options')!.options ?? []) as INodeProperties[];

	it('show the editor the defaults the node applies (the README documents 300 s, 65,536 bytes, CSAT 0–5)', () => {
		expect(Object.fromEntries(options.map((o) => [o.name, o.default]))).toEqual({ toleranceSeconds: 300, maxBodyBytes: 65_536, csatMax: 5 });
		expect(DEFAULT_CALLBACK_LIMITS).toEqual({ toleranceSeconds: 300, maxBodyBytes: 65_536, csatMax: 5 });
	});

	it('fall back to the default for an unset, empty, zero, negative or non-numeric value', () => {
		expect(readLimits({})).toEqual(DEFAULT_CALLBACK_LIMITS);
		expect(readLimits({ toleranceSeconds: '', maxBodyBytes: 0, csatMax: -1 })).toEqual(DEFAULT_CALLBACK_LIMITS);
		expect(readLimits({ toleranceSeconds: 'soon' })).toEqual(DEFAULT_CALLBACK_LIMITS);
		expect(readLimits({ toleranceSeconds: 30, maxBodyBytes: 2048, csatMax: 10 })).toEqual({ toleranceSeconds: 30, maxBodyBytes: 2048, csatMax: 10 });
	});
});
