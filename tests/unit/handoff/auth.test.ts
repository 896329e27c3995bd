import { describe, expect, it } from 'vitest';

import { authHeaders, credentialValues, providerAuth } from '../../../vendor-boundary/auth';
import { CredentialScrubber } from '../../../vendor-boundary/scrub';

describe('the secrets of a Support Provider API credential', () => {
	it('lists every secret value, and for basic auth the user:password token on its own (it decodes to the password)', () => {
		const basic = { authentication: 'basic', user: 'svc-agent', password: 'S3cr3t-pa55word!', signingSecret: 'whsec_x' };
		// base64("svc-agent:S3cr3t-pa55word!"), from coreutils: printf %s 'svc-agent:S3cr3t-pa55word!' | base64
		const token = 'c3ZjLWFnZW50OlMzY3IzdC1wYTU1d29yZCE=';
		expect(credentialValues(basic)).toEqual(['S3cr3t-pa55word!', 'whsec_x', token]);
		expect(authHeaders(providerAuth(basic))).toEqual({ Authorization: `Basic ${token}` });
		expect(credentialValues({ authentication: 'bearer', token: 'tok-1', signingSecret: '' })).toEqual(['tok-1']);
	});

	it('scrubs the bare token a vendor echoes without "Basic "', () => {
		const basic = { authentication: 'basic', user: 'svc-agent', password: 'S3cr3t-pa55word!' };
		const scrubber = new CredentialScrubber([...credentialValues(basic), ...Object.values(authHeaders(providerAuth(basic)))]);
		expect(scrubber.scrub('401 invalid credentials token=c3ZjLWFnZW50OlMzY3IzdC1wYTU1d29yZCE=')).toBe('401 invalid credentials token=[credential]');
	});
});
