/** What replaces a credential value in vendor text. */
export const SCRUBBED = '[credential]';

/**
 * Removes credential values (API key, token, password, signing secret, and the auth header values built from them)
 * from text a vendor wrote or an error carries, before it reaches an item, an error or a log. A vendor that echoes
 * the request back would otherwise copy the credential into node output. Each value is also looked for the ways an
 * echo re-encodes it: JSON-escaped (also with `/` as `\/`, as PHP's json_encode writes it), URL-encoded and Base64.
 * Text read out of JSON is scrubbed again once decoded, so any other escape is caught there.
 */
export class CredentialScrubber {
	private readonly needles: string[];

	constructor(values: readonly string[]) {
		const forms = new Set<string>();
		for (const value of values) {
			if (!value) continue;
			forms.add(value);
			const escaped = JSON.stringify(value).slice(1, -1);
			forms.add(escaped);
			forms.add(escaped.replaceAll('/', '\\/'));
			forms.add(encodeURIComponent(value));
			forms.add(Buffer.from(value).toString('base64'));
		}
		// Longest first: a value inside another (a token inside its header) must not leave the rest of the longer one.
		this.needles = [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
	}

	scrub(text: string): string;
	scrub(text: string | null): string | null;
	scrub(text: string | null): string | null {
		if (text === null || this.needles.length === 0) return text;
		let out = text;
		for (const needle of this.needles) if (out.includes(needle)) out = out.split(needle).join(SCRUBBED);
		return out;
	}
}
