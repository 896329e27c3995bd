/** How the Support Provider API credential authenticates; shared by the credential test and the node. */
export type ProviderAuth =
	| { type: 'apiKey'; headerName: string; apiKey: string }
	| { type: 'bearer'; token: string }
	| { type: 'basic'; user: string; password: string }
	| { type: 'none' };

export function authHeaders(auth: ProviderAuth): Record<string, string> {
	switch (auth.type) {
		case 'apiKey':
			return { [auth.headerName || 'X-API-Key']: auth.apiKey };
		case 'bearer':
			return { Authorization: `Bearer ${auth.token}` };
		case 'basic':
			return { Authorization: 'Basic ' + Buffer.from(`${auth.user}:${auth.password}`).toString('base64') };
		case 'none':
			return {};
	}
}

/** Reads the credential's fields (as n8n hands them over) into a ProviderAuth. */
export function providerAuth(credentials: Record<string, unknown>): ProviderAuth {
	const str = (key: string) => (typeof credentials[key] === 'string' ? (credentials[key] as string) : '');
	switch (credentials.authentication) {
		case 'bearer':
			return { type: 'bearer', token: str('token') };
		case 'basic':
			return { type: 'basic', user: str('user'), password: str('password') };
		case 'none':
			return { type: 'none' };
		default:
			return { type: 'apiKey', headerName: str('headerName'), apiKey: str('apiKey') };
	}
}

/** Every secret value a Support Provider API credential holds, whatever its authentication: what must never be echoed. */
export function credentialValues(credentials: Record<string, unknown>): string[] {
	const values = ['apiKey', 'token', 'password', 'signingSecret']
		.map((key) => credentials[key])
		.filter((v): v is string => typeof v === 'string' && v.length > 0);
	// Basic auth's token on its own, as a vendor may echo it without "Basic ": it decodes to the password.
	const { user, password } = credentials;
	if (typeof user === 'string' && typeof password === 'string' && password.length > 0) values.push(Buffer.from(`${user}:${password}`).toString('base64'));
	return values;
}
