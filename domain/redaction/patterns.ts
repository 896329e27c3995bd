import { RE2JS } from 're2js';

import type { Found } from './detectors/detector';

export interface CustomPattern {
	/** Names the class in tokens and counts, e.g. "order" → [ORDER_1]. */
	name: string;
	/** An RE2 regular expression (no lookaround, no backreferences). */
	pattern: string;
	caseInsensitive?: boolean;
}

/** A user's pattern, compiled once: RE2 runs in time linear in the text, so no pattern can hang n8n. */
export interface CompiledPattern {
	kind: string;
	label: string;
	find(text: string): Found[];
}

/** A redaction setting that cannot be used (a pattern RE2 refuses, an unknown region); reported before anything is sent. */
export class RedactionSettingError extends Error {
	override name = 'RedactionSettingError';
}

export function compilePattern(p: CustomPattern): CompiledPattern {
	const kind = p.name.trim() || 'custom';
	const regex = tryCompile(p.pattern, p.caseInsensitive ? RE2JS.CASE_INSENSITIVE : 0);
	if (typeof regex === 'string') {
		throw new RedactionSettingError(`Redaction pattern "${kind}" (${p.pattern}) is not a regular expression RE2 accepts: ${regex}. RE2 has no lookaround or backreferences.`);
	}
	if (regex.matcher('').find()) throw new RedactionSettingError(`Redaction pattern "${kind}" (${p.pattern}) matches the empty string`);
	return {
		kind,
		label: kind.toUpperCase().replace(/[^A-Z0-9]+/g, '_'),
		find(text) {
			const found: Found[] = [];
			const m = regex.matcher(text);
			while (m.find()) {
				const start = m.start();
				const end = m.end();
				if (end > start) found.push({ start, end, key: text.slice(start, end) });
			}
			return found;
		},
	};
}

/** The compiled expression, or why RE2 refuses it. */
function tryCompile(source: string, flags: number): RE2JS | string {
	try {
		return RE2JS.compile(source, flags);
	} catch (error) {
		return (error as Error).message;
	}
}
