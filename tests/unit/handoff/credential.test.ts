import { describe, expect, it } from 'vitest';

import { SupportProviderApi } from '../../../credentials/SupportProviderApi.credentials';

const credential = new SupportProviderApi();
const authenticate = credential.authenticate as (c: Record<string, unknown>, r: { url: string; headers?: Record<string, string> }) => Promise<{ headers: Record<string, string> }>;

describe('Support Provider API credential', () => {
	it('authenticates with an API key in the configured header', async () => {
		const request = await authenticate({ authentication: 'apiKey', headerName: 'X-Vendor-Key', apiKey: 'k1' }, { url: '/health', headers: { Accept: 'application/json' } });
		expect(request.headers).toEqual({ Accept: 'application/json', 'X-Vendor-Key': 'k1' });
	});

	it('authenticates with a bearer token or basic auth, or not at all', async () => {
		expect((await authenticate({ authentication: 'bearer', token: 't1' }, { url: '/' })).headers).toEqual({ Authorization: 'Bearer t1' });
		expect((await authenticate({ authentication: 'basic', user: 'ann', password: 'pw' }, { url: '/' })).headers).toEqual({ Authorization: `Basic ${Buffer.from('ann:pw').toString('base64')}` });
		expect((await authenticate({ authentication: 'none' }, { url: '/' })).headers).toEqual({});
	});

	it('tests the connection with GET on the configured path, /health by default', () => {
		expect(credential.test.request).toEqual({ baseURL: '={{$credentials.baseUrl}}', url: '={{$credentials.testPath || "/health"}}', method: 'GET' });
		expect(credential.properties.find((p) => p.name === 'testPath')?.default).toBe('/health');
	});

	it('keeps every secret masked in the editor', () => {
		const masked = credential.properties.filter((p) => p.typeOptions?.password).map((p) => p.name);
		expect(masked).toEqual(['apiKey', 'token', 'password', 'signingSecret']);
	});
});
