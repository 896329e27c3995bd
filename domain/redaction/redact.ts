import type { PiiKind } from './detectors';
import { NumberScanner, PII_KINDS } from './detectors';
import { replaceEmails } from './email';
import { readPath, writePath } from '../ticket/path';

export interface CustomPattern {
	/** Names the kind in tokens and counts, e.g. "order" → [ORDER_1]. */
	name: string;
	/** A JavaScript regular expression source. */
	pattern: string;
	caseInsensitive?: boolean;
}

export interface RedactionOptions {
	/** Built-in detectors to run; all four by default. */
	kinds?: readonly PiiKind[];
	patterns?: readonly CustomPattern[];
	/** Paths whose whole value is replaced by a token whatever it contains (e.g. requester.name). */
	fields?: readonly string[];
}

/** Occurrences redacted per kind. Never the values. */
export type RedactionCounts = Record<string, number>;

export interface Redacted<T> {
	value: T;
	counts: RedactionCounts;
}

interface CompiledPattern {
	kind: string;
	label: string;
	regex: RegExp;
}

/**
 * Replaces PII in a ticket by tokens such as [EMAIL_1]. One token table per call, so within a ticket the
 * same value always gets the same token (the vendor can still see that two mentions are the same
 * address) while nothing links tokens across tickets. Compile once per execution, call per ticket.
 */
export class Redactor {
	private readonly emails: boolean;
	private readonly numbers: NumberScanner;
	private readonly patterns: CompiledPattern[];
	private readonly fields: readonly string[];

	constructor(options: RedactionOptions = {}) {
		const kinds = options.kinds ?? PII_KINDS;
		this.emails = kinds.includes('email');
		this.numbers = NumberScanner.for(kinds);
		this.patterns = (options.patterns ?? []).map(compilePattern);
		this.fields = options.fields ?? [];
	}

	redact<T>(value: T): Redacted<T> {
		const table = new TokenTable();
		let out = this.walk(value, table) as T;
		if (this.fields.length && out && typeof out === 'object') {
			for (const path of this.fields) {
				const found = readPath(out, path);
				if (found === undefined || found === null) continue;
				out = writePath(out, path, table.token('field', 'FIELD', JSON.stringify(found)));
			}
		}
		return { value: out, counts: table.counts };
	}

	/** Redacts one string; exposed for callers that hold text rather than a ticket. */
	redactText(text: string): Redacted<string> {
		const table = new TokenTable();
		return { value: this.text(text, table), counts: table.counts };
	}

	private walk(value: unknown, table: TokenTable): unknown {
		if (typeof value === 'string') return this.text(value, table);
		if (Array.isArray(value)) return value.map((v) => this.walk(v, table));
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(value)) out[key] = this.walk((value as Record<string, unknown>)[key], table);
			return out;
		}
		return value;
	}

	private text(input: string, table: TokenTable): string {
		let text = input;
		// Custom patterns first: the built-in tokens contain digits a loose pattern could re-match.
		for (const p of this.patterns) {
			p.regex.lastIndex = 0;
			text = text.replace(p.regex, (m) => table.token(p.kind, p.label, m));
		}
		if (this.emails) text = replaceEmails(text, (key) => table.token('email', 'EMAIL', key));
		return this.numbers.replace(text, (kind, key) => table.token(kind, kind.toUpperCase(), key));
	}
}

function compilePattern(p: CustomPattern): CompiledPattern {
	const kind = p.name.trim() || 'custom';
	const regex = tryRegExp(p.pattern, p.caseInsensitive ? 'gi' : 'g');
	if (typeof regex === 'string') throw new RedactionPatternError(`Redaction pattern "${kind}" is not a valid regular expression: ${regex}`);
	if (regex.test('')) throw new RedactionPatternError(`Redaction pattern "${kind}" matches the empty string`);
	return { kind, label: kind.toUpperCase().replace(/[^A-Z0-9]+/g, '_'), regex };
}

/** The compiled expression, or why it does not compile. */
function tryRegExp(source: string, flags: string): RegExp | string {
	try {
		return new RegExp(source, flags);
	} catch (error) {
		return (error as Error).message;
	}
}

/** A configured pattern that cannot be used; the node reports it before anything is sent. */
export class RedactionPatternError extends Error {
	override name = 'RedactionPatternError';
}

class TokenTable {
	readonly counts: RedactionCounts = {};
	private readonly tokens = new Map<string, string>();
	private readonly next = new Map<string, number>();

	token(kind: string, label: string, key: string): string {
		this.counts[kind] = (this.counts[kind] ?? 0) + 1;
		const id = `${kind}\u0000${key}`;
		let token = this.tokens.get(id);
		if (!token) {
			const n = (this.next.get(kind) ?? 0) + 1;
			this.next.set(kind, n);
			token = `[${label}_${n}]`;
			this.tokens.set(id, token);
		}
		return token;
	}
}
