import { hasCardIssuer } from './detectors/card';
import type { DetectionContext, Detector, Found } from './detectors/detector';
import { DEFAULT_PHONE_REGIONS, isPhoneRegion, phoneRegionsFor } from './detectors/phone';
import { DEFAULT_KINDS, detectorsFor } from './detectors/registry';
import { carryDigitRuns, digitRunsOf, forgetDigitRuns } from './digit-runs';
import { compilePattern, RedactionSettingError, type CompiledPattern, type CustomPattern } from './patterns';
import { originalSpan, viewOf } from './view';
import { readPath, writePath } from '../ticket/path';

export type { CustomPattern } from './patterns';
export { RedactionSettingError } from './patterns';

export interface RedactionOptions {
	/** Built-in classes to detect (see detectors/registry.ts); the non-opt-in ones by default. */
	kinds?: readonly string[];
	patterns?: readonly CustomPattern[];
	/** Paths whose whole value is replaced by a token whatever it contains (e.g. requester.name). */
	fields?: readonly string[];
	/** Regions whose national phone formats are read in every ticket (ISO 3166-1 alpha-2). */
	phoneRegions?: readonly string[];
}

/** Per ticket: the customer's region, when it names a country, adds its national phone formats. */
export interface TicketContext {
	region?: string | null;
	/** The ticket's reference sent beside it (the hand-off's top-level ticketId): redacted with the same tokens. */
	reference?: string;
}

/** Occurrences redacted per class. Never the values. */
export type RedactionCounts = Record<string, number>;

export interface Redacted<T> {
	value: T;
	counts: RedactionCounts;
	/** The context's reference, redacted; undefined when none was given. */
	reference?: string;
}

/** A detector or a custom pattern: what a span is attributed to. */
type Finder = Pick<Detector, 'kind' | 'label'> & Partial<Pick<Detector, 'readsDigits'>> & { find(text: string, context: DetectionContext): Found[] };

/**
 * Replaces personal data in a ticket by tokens such as [EMAIL_1], everywhere a vendor can look: string values,
 * object keys, numbers (a card or phone sent as a JSON number becomes a redacted string), inside arrays at any depth.
 * One token table per call, so within a ticket the same value always gets the same token (the vendor can still see
 * that two mentions are the same address) while nothing links tokens across tickets. Compile once per execution
 * (patterns are validated here), call per ticket.
 */
export class Redactor {
	private readonly finders: Finder[];
	private readonly fields: readonly string[];
	private readonly phoneRegions: readonly string[];
	/** The card class when it is detected: rounded JSON numbers in a card range are counted under it. */
	private readonly card: Finder | undefined;

	constructor(options: RedactionOptions = {}) {
		const patterns: CompiledPattern[] = (options.patterns ?? []).map(compilePattern);
		const detectors = detectorsFor(options.kinds ?? DEFAULT_KINDS);
		// Custom patterns come first: where a user's pattern and a built-in class overlap, the user's name is counted.
		this.finders = [...patterns, ...detectors];
		this.card = detectors.find((d) => d.kind === 'card');
		this.fields = options.fields ?? [];
		this.phoneRegions = options.phoneRegions ?? DEFAULT_PHONE_REGIONS;
		const unknown = this.phoneRegions.filter((r) => !isPhoneRegion(r));
		if (unknown.length) {
			throw new RedactionSettingError(`Phone region ${unknown.map((r) => `"${r}"`).join(', ')} is not an ISO 3166-1 alpha-2 country code (e.g. US, GB, FR, DE)`);
		}
	}

	redact<T>(value: T, ticket: TicketContext = {}): Redacted<T> {
		const table = new TokenTable();
		const context = this.contextFor(ticket);
		const reference = ticket.reference === undefined ? undefined : this.text(ticket.reference, table, context);
		let out = this.walk(value, table, context) as T;
		if (this.fields.length && out && typeof out === 'object') {
			for (const path of this.fields) {
				const found = readPath(out, path);
				if (found === undefined || found === null) continue;
				out = writePath(out, path, table.token('field', 'FIELD', JSON.stringify(found)));
			}
		}
		forgetDigitRuns();
		return { value: out, counts: table.counts, ...(reference === undefined ? {} : { reference }) };
	}

	/** Redacts one string; exposed for callers that hold text rather than a ticket. */
	redactText(text: string, ticket: TicketContext = {}): Redacted<string> {
		const table = new TokenTable();
		const value = this.text(text, table, this.contextFor(ticket));
		forgetDigitRuns();
		return { value, counts: table.counts };
	}

	private contextFor(ticket: TicketContext): DetectionContext {
		const own = ticket.region?.trim().toUpperCase() ?? '';
		return { phoneRegions: phoneRegionsFor(this.phoneRegions, own), ownRegion: isPhoneRegion(own) ? own : null };
	}

	private walk(value: unknown, table: TokenTable, context: DetectionContext): unknown {
		if (typeof value === 'string') return this.text(value, table, context);
		if (typeof value === 'number') return this.number(value, table, context);
		if (typeof value === 'bigint') return this.number(value, table, context);
		if (Array.isArray(value)) return value.map((v) => this.walk(v, table, context));
		if (value && typeof value === 'object') {
			const out: Record<string, unknown> = {};
			for (const key of Object.keys(value)) {
				let safeKey = this.text(key, table, context);
				// Two keys redacted to the same token would overwrite each other's values.
				for (let n = 2; Object.hasOwn(out, safeKey); n++) safeKey = `${safeKey}#${n}`;
				out[safeKey] = this.walk((value as Record<string, unknown>)[key], table, context);
			}
			return out;
		}
		return value;
	}

	/**
	 * A number stays a number unless its digits are personal data; then it becomes the redacted string. An integer
	 * above 2^53 arrives rounded (JSON.parse keeps about 16 significant digits): with 16–19 digits in a card issuer's
	 * range and length it is taken for a card without Luhn, which the rounding has made meaningless — sent as is,
	 * `6212345678901234567` would go out as 6212345678901235000, 15 of its digits intact.
	 */
	private number(value: number | bigint, table: TokenTable, context: DetectionContext): unknown {
		if (typeof value === 'number' && (!Number.isFinite(value) || Math.abs(value) < 1_000_000)) return value;
		// Integers as their digits (no exponent: 1e21 is 1000000000000000000000), fractions as JavaScript prints them.
		const digits = typeof value === 'bigint' || Number.isInteger(value) ? BigInt(value).toString() : String(value);
		if (typeof value === 'number' && !Number.isSafeInteger(value) && Number.isInteger(value) && this.card) {
			const magnitude = digits.replace('-', '');
			if (magnitude.length >= 16 && hasCardIssuer(magnitude)) return table.token(this.card.kind, this.card.label, magnitude);
		}
		const redacted = this.text(digits, table, context);
		return redacted === digits ? value : redacted;
	}

	private text(input: string, table: TokenTable, context: DetectionContext): string {
		const view = viewOf(input);
		const spans: Array<Found & { finder: number }> = [];
		// What one class took is masked for the classes after it: a card's digits are not read again as a phone (the
		// spans would merge anyway), which keeps the costly phone reader to text no other class explained.
		let text = view.text;
		for (let f = 0; f < this.finders.length; f++) {
			const finder = this.finders[f];
			// Most strings of a ticket (its keys, names, statuses) hold no digit: the number detectors are not called.
			if (finder.readsDigits && digitRunsOf(text).starts.length === 0) continue;
			const found = finder.find(text, context);
			for (const { start, end, key } of found) spans.push({ start, end, key, finder: f });
			if (found.length && f < this.finders.length - 1) {
				const next = masked(text, found);
				carryDigitRuns(text, next, found);
				text = next;
			}
		}
		if (!spans.length) return input;
		spans.sort((a, b) => a.start - b.start || b.end - a.end || a.finder - b.finder);
		let out = '';
		let cursor = 0;
		for (let i = 0; i < spans.length; ) {
			// Overlapping findings become one span, attributed to the highest-priority class among them: a
			// phone reader's half of an IBAN is never left behind.
			const start = spans[i].start;
			let { end, finder, key } = spans[i];
			let j = i + 1;
			for (; j < spans.length && spans[j].start < end; j++) {
				if (spans[j].end > end) end = spans[j].end;
				if (spans[j].finder < finder) finder = spans[j].finder;
				key = view.text.slice(start, end);
			}
			const [from, to] = originalSpan(view, start, end);
			const { kind, label } = this.finders[finder];
			out += input.slice(cursor, from) + table.token(kind, label, key);
			cursor = to;
			i = j;
		}
		return out + input.slice(cursor);
	}
}

/** The text with these spans blanked by a character no detector reads (offsets unchanged). */
function masked(text: string, spans: readonly Found[]): string {
	// Joined, not concatenated: a concatenation is a tree of pieces that every character read by the next detectors
	// walks; join copies them into one flat string.
	const out: string[] = [];
	let cursor = 0;
	for (const { start, end } of [...spans].sort((a, b) => a.start - b.start)) {
		if (end <= cursor) continue;
		const from = Math.max(start, cursor);
		out.push(text.slice(cursor, from), MASK.repeat(end - from));
		cursor = end;
	}
	out.push(text.slice(cursor));
	return out.join('');
}
const MASK = '\u2063';

class TokenTable {
	readonly counts: RedactionCounts = {};
	private readonly tokens = new Map<string, string>();
	private readonly next = new Map<string, number>();

	token(kind: string, label: string, key: string): string {
		this.counts[kind] = (this.counts[kind] ?? 0) + 1;
		const id = `${kind}\u0000${key}`;
		let token = this.tokens.get(id);
		if (!token) {
			const n = (this.next.get(label) ?? 0) + 1;
			this.next.set(label, n);
			token = `[${label}_${n}]`;
			this.tokens.set(id, token);
		}
		return token;
	}
}
