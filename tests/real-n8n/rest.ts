/** n8n's internal REST API (/rest), as the editor uses it: owner setup, login, then calls with the auth cookie. */

export const OWNER = {
	email: 'owner@support-delegation.test',
	firstName: 'Support',
	lastName: 'Owner',
	// n8n's rule: 8+ characters, a number and an upper-case letter. A throwaway test instance's owner, not a secret.
	password: 'Delegation-e2e-2026',
};

export class N8nRest {
	private constructor(
		readonly baseUrl: string,
		/** `n8n-auth=<jwt>`; issued without a browser id, so a browser may reuse it. */
		readonly cookie: string,
	) {}

	/**
	 * Creates the instance owner on a fresh instance (POST /rest/owner/setup), or logs in when the owner already exists.
	 */
	static async ownerSession(baseUrl: string, owner = OWNER): Promise<N8nRest> {
		const setup = await fetch(`${baseUrl}/rest/owner/setup`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify(owner),
		});
		if (setup.ok) return new N8nRest(baseUrl, authCookie(setup));
		const login = await fetch(`${baseUrl}/rest/login`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ emailOrLdapLoginId: owner.email, password: owner.password }),
		});
		if (!login.ok) {
			throw new Error(`owner setup (${setup.status}: ${await setup.text()}) and login (${login.status}: ${await login.text()}) failed`);
		}
		return new N8nRest(baseUrl, authCookie(login));
	}

	/** The JWT alone, for a browser cookie jar. */
	get token(): string {
		return this.cookie.slice(this.cookie.indexOf('=') + 1);
	}

	async request<T = unknown>(method: string, path: string, body?: unknown): Promise<T> {
		const response = await fetch(`${this.baseUrl}/rest${path}`, {
			method,
			headers: { cookie: this.cookie, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const text = await response.text();
		if (!response.ok) throw new Error(`${method} /rest${path} → ${response.status}: ${text}`);
		const json = text ? JSON.parse(text) : undefined;
		// Most /rest answers wrap their payload in { data }.
		return (json && typeof json === 'object' && 'data' in json ? json.data : json) as T;
	}

	get<T = unknown>(path: string): Promise<T> {
		return this.request<T>('GET', path);
	}

	post<T = unknown>(path: string, body: unknown): Promise<T> {
		return this.request<T>('POST', path, body);
	}
}

function authCookie(response: Response): string {
	const cookie = response.headers.getSetCookie().find((value) => value.startsWith('n8n-auth='));
	if (!cookie) throw new Error(`no n8n-auth cookie in the ${response.url} response`);
	return cookie.split(';')[0];
}
