import { digitsOf, passesIbanChecksum, passesLuhn } from './checksums';

export type PiiKind = 'email' | 'phone' | 'card' | 'iban';
export const PII_KINDS: readonly PiiKind[] = ['email', 'phone', 'card', 'iban'];

/**
 * One number-shaped detector. `accept` decides on a raw match: the part of it that really is the
 * value (a card candidate may hide a shorter card, an IBAN may have swallowed the next word) or null.
 * `key` normalizes the accepted value so the same number written twice gets the same token.
 */
interface Detector {
	kind: PiiKind;
	source: string;
	accept(match: string): string | null;
	key(value: string): string;
}

// Country code, check digits, then groups of four (spaces optional); the last group is shorter.
const iban: Detector = {
	kind: 'iban',
	source: '\\b[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?\\b',
	accept: (m) => longestPrefix(m, passesIbanChecksum),
	key: (v) => v.replace(/\s/g, ''),
};

const card: Detector = {
	kind: 'card',
	source: '\\b\\d(?:[ -]?\\d){12,18}\\b',
	accept: (m) => longestPrefix(m, passesLuhn),
	key: digitsOf,
};

// +CC then up to seven groups (a group may be bracketed: "+33 (0)6", "+1 (555)"); US "(555) 123-4567"
// and "555-123-4567"; national numbers starting with 0 in two to five groups ("06 12 34 56 78", "020 7946 0958").
const phone: Detector = {
	kind: 'phone',
	source: [
		'\\+\\d{1,3}(?:[ .-]?(?:\\(\\d{1,4}\\)|\\d{1,5})){1,7}',
		'\\(\\d{3}\\)[ .-]?\\d{3}[ .-]?\\d{4}\\b',
		'\\b\\d{3}[.-]\\d{3}[.-]\\d{4}\\b',
		'\\b0\\d{1,4}(?:[ .-]\\d{2,4}){2,4}\\b',
	].join('|'),
	accept: (m) => {
		const n = digitsOf(m).length;
		// E.164 allows at most 15 digits; fewer than 7 is an order number or a year, not a phone.
		return n >= 7 && n <= 15 ? m : null;
	},
	key: digitsOf,
};

/** Tried in this order at each position: cards before phones, so a card failing Luhn is kept whole. */
const NUMBER_DETECTORS: readonly Detector[] = [iban, card, phone];

/**
 * The longest leading run of space/dash-separated groups that passes `check`: "4111 1111 1111 1111 2024"
 * holds a card followed by a year, an IBAN may be followed by a capitalized word.
 */
function longestPrefix(match: string, check: (candidate: string) => boolean): string | null {
	if (check(match)) return match;
	for (let end = match.length - 1; end > 0; end--) {
		const c = match.charCodeAt(end);
		if ((c === 32 || c === 45) && check(match.slice(0, end))) return match.slice(0, end);
	}
	return null;
}

/**
 * Every character a number-shaped match can contain. Text is scanned for digit runs first (cheap), and the
 * full alternation runs only on the run of these characters around each one: prose costs almost nothing.
 */
function isNumberChar(c: number): boolean {
	// A-Z, 0-9, space, + ( ) . -
	return (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 32 || c === 43 || c === 40 || c === 41 || c === 46 || c === 45;
}
// Two digits, then at least five more number characters ending in a digit: every supported shape has such a run.
const CANDIDATE = /\d{2}[\d ().-]{4,}\d/g;

/** The enabled number detectors, compiled once per Redactor. */
export class NumberScanner {
	private readonly regex: RegExp | null;

	constructor(private readonly detectors: readonly Detector[]) {
		this.regex = detectors.length ? new RegExp(detectors.map((d) => `(${d.source})`).join('|'), 'g') : null;
	}

	static for(kinds: readonly PiiKind[]): NumberScanner {
		return new NumberScanner(NUMBER_DETECTORS.filter((d) => kinds.includes(d.kind)));
	}

	/** Replaces every accepted match by `token(kind, normalizedKey)`. */
	replace(text: string, token: (kind: PiiKind, key: string) => string): string {
		const regex = this.regex;
		if (!regex) return text;
		let out = '';
		let cursor = 0;
		CANDIDATE.lastIndex = 0;
		for (let m = CANDIDATE.exec(text); m; m = CANDIDATE.exec(text)) {
			// The whole run of number characters around the candidate: no match can reach beyond it.
			let from = m.index;
			while (from > 0 && isNumberChar(text.charCodeAt(from - 1))) from--;
			let to = m.index + m[0].length;
			while (to < text.length && isNumberChar(text.charCodeAt(to))) to++;
			CANDIDATE.lastIndex = to;
			// One character of context each side keeps \b honest; it is never part of a match.
			const before = from > 0 ? 1 : 0;
			const after = to < text.length ? 1 : 0;
			const window = text.slice(from - before, to + after);
			regex.lastIndex = 0;
			const replaced = window.replace(regex, (...args: unknown[]) => this.onMatch(args, token));
			if (replaced === window) continue;
			out += text.slice(cursor, from) + replaced.slice(before, replaced.length - after);
			cursor = to;
		}
		return cursor === 0 ? text : out + text.slice(cursor);
	}

	private onMatch(args: unknown[], token: (kind: PiiKind, key: string) => string): string {
		const match = args[0] as string;
		for (let g = 0; g < this.detectors.length; g++) {
			if (args[g + 1] === undefined) continue;
			const detector = this.detectors[g];
			const value = detector.accept(match);
			if (value === null) return match;
			return token(detector.kind, detector.key(value)) + match.slice(value.length);
		}
		return match;
	}
}
