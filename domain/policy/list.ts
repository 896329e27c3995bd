/**
 * A list as people type it in one field: "acme, globex , initech". Arrays pass through. Entries are trimmed and
 * empty ones dropped; the package's one reading of comma lists (policy labels and keywords, editor fields,
 * Provider Handoff's vendors).
 */
export function splitList(value: unknown): string[] {
	const parts = Array.isArray(value) ? value : typeof value === 'string' || typeof value === 'number' ? String(value).split(',') : [];
	const out: string[] = [];
	for (const part of parts) {
		if (typeof part !== 'string') {
			out.push(part as string);
			continue;
		}
		const trimmed = part.trim();
		if (trimmed !== '') out.push(trimmed);
	}
	return out;
}
