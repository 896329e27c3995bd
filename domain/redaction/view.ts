import { isAsciiAlnum, isAsciiDigit, isAsciiLetter } from './chars';
import { rememberDigitRuns, type DigitRunIndex } from './digit-runs';
import { referenceAt, tagAt } from './html';

/**
 * The text detectors read: the original with the disguises a ticket puts on characters taken off, and for every
 * character of it the offset of the original text it came from, so a redaction replaces the original span (the
 * vendor never gets `john&#64;example.com` half-decoded, nor the decoded form of something we did not redact).
 *
 * Taken off: HTML character references (`&#64;`, `&#x40;`, `&commat;`, `&shy;`, `&thinsp;`…, and `&amp;#64;`
 * encoded twice) and the inline tags around parts of a value (`<wbr>`, `<span>`, `<b>`…; see html.ts),
 * percent-encoding of printable ASCII (`%40`, and `%2540` encoded twice), `+` for a space in a form-encoded value
 * (`tel=06+12+34+56+78`), JSON/JavaScript escapes of text that was encoded twice (`\\n`, `\\"`, `\\u0040`),
 * full-width forms (`＠`, `４１１１`), decimal digits of every script as ASCII digits (`٠٦١٢…`, `𝟎𝟔𝟏𝟐…`),
 * ideographic full stops in a domain as `.` (`example。com`), every Unicode space as a space, every Unicode
 * hyphen/dash as `-`; invisible characters (zero-width spaces and joiners, soft hyphens, direction marks, BOM) are
 * dropped. Between two characters of a value (a digit on one side at least), a short run of whitespace — two
 * characters at most, one line break at most (`\r\n` is one): a wrapped line, a tab, a double space — reads as one
 * space, so `4111 1111\n1111 1111` is the card it is; a blank line still separates.
 */
export interface TextView {
	/** What detectors read. */
	text: string;
	/** `at[i]`: offset in the original of view character i; `at[text.length]` is the original's length. Null: identity. */
	at: Int32Array | null;
	/** `ends[i]`: offset in the original just past what view character i came from. Null: identity. */
	ends: Int32Array | null;
}

/**
 * Decimal digits other than ASCII (Unicode category Nd), by the code point of their zero: each script's digits are
 * ten consecutive code points, 0 to 9 (a Unicode stability guarantee). Full-width digits are read as full-width forms.
 */
const ZEROS = [
	0x0660, 0x06f0, 0x07c0, 0x0966, 0x09e6, 0x0a66, 0x0ae6, 0x0b66, 0x0be6, 0x0c66, 0x0ce6, 0x0d66, 0x0de6, 0x0e50,
	0x0ed0, 0x0f20, 0x1040, 0x1090, 0x17e0, 0x1810, 0x1946, 0x19d0, 0x1a80, 0x1a90, 0x1b50, 0x1bb0, 0x1c40, 0x1c50,
	0xa620, 0xa8d0, 0xa900, 0xa9d0, 0xa9f0, 0xaa50, 0xabf0,
	// Beyond the BMP (two UTF-16 units each), among them the mathematical digits 𝟎 𝟘 𝟢 𝟬 𝟶.
	0x104a0, 0x10d30, 0x10d40, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450, 0x114d0, 0x11650, 0x116c0,
	0x116d0, 0x116da, 0x11730, 0x118e0, 0x11950, 0x11bf0, 0x11c50, 0x11d50, 0x11da0, 0x11de0, 0x11f50, 0x16130,
	0x16a60, 0x16ac0, 0x16b50, 0x16d70, 0x1ccf0, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0,
	0x1e4f0, 0x1e5f1, 0x1e950, 0x1fbf0,
];
const DIGIT = new Map<number, string>();
for (const zero of ZEROS) for (let d = 0; d < 10; d++) DIGIT.set(zero + d, String(d));

/**
 * What a UTF-16 unit is to the view (0: nothing). DECODE: a disguise or the start of one (`&`, `%`, `\`, a Unicode
 * space, dash or invisible character, a full-width form, a digit of another script). CONTEXT: one only beside
 * certain characters (`+` between two digits, `<` starting a tag, `。` before a letter or digit, a high surrogate of
 * a digit). SPACE: whitespace, which may be part of a run to fold.
 */
const DECODE = 1;
/**
 * The spaces, dashes and invisible characters outside the ranges read above (U+2000–U+206F and the full-width forms):
 * Unicode's other Zs and Pd characters, the Arabic letter mark, the Mongolian vowel separator and the variation
 * selectors. Each would otherwise split a card or an IBAN into groups no detector joins.
 */
const OTHER_SPACES = '\u1680';
const OTHER_DASHES = '\u058a\u05be\u1400\u1806\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c\u3030\u30a0\ufe31\ufe32\ufe58\ufe63';
const OTHER_INVISIBLES = '\u061c\u180e\ufe00\ufe01\ufe02\ufe03\ufe04\ufe05\ufe06\ufe07\ufe08\ufe09\ufe0a\ufe0b\ufe0c\ufe0d\ufe0e\ufe0f';
const CONTEXT = 2;
const SPACE = 3;
const KIND = new Uint8Array(0x10000);
for (const c of '&%\\\u00a0\u00ad\u2212\u3000\ufe6b\ufeff\uff61') KIND[c.charCodeAt(0)] = DECODE;
for (const c of OTHER_SPACES + OTHER_DASHES + OTHER_INVISIBLES) KIND[c.charCodeAt(0)] = DECODE;
for (const [from, to] of [[0x2000, 0x200f], [0x2010, 0x2015], [0x202a, 0x202f], [0x205f, 0x206f], [0xff01, 0xff5e]]) KIND.fill(DECODE, from, to + 1);
for (const zero of ZEROS) if (zero < 0x10000) KIND.fill(DECODE, zero, zero + 10);
for (const zero of ZEROS) if (zero >= 0x10000) KIND[String.fromCodePoint(zero).charCodeAt(0)] = CONTEXT;
for (const c of '+<\u3002') KIND[c.charCodeAt(0)] = CONTEXT;
for (const c of ' \t\n\v\f\r\u0085\u2028\u2029') KIND[c.charCodeAt(0)] = SPACE;

/**
 * Where needsView stops to look. It runs on every string of every ticket, so it is kept to what a regular expression
 * scans fastest: one class of a few ranges, and alternatives that start with one fixed character or class. A class of
 * every script's digit ranges, alternatives that start with a digit, even U+1680, U+FE52 or U+FF61 alone in the class
 * cost several times more. The blocks of the scripts that have digits of their own are one such alternative until
 * the first character of one: from there on one exact look for their digits reads the rest, and the scan goes on
 * without them. The rare spaces, dashes and invisible characters of OTHER_* ride with the blocks (those of Armenian,
 * Hebrew and Arabic by starting them at U+0580): in the class of stops they doubled the cost of every ticket (a
 * 10,000-ticket redaction 250 ms against 133). So they are found until the first character of a block, which a text
 * mixing such a script with a card split by one of them would get past.
 */
const STOPS = '[&%\\\\\\u00a0\\u00ad\\u2000-\\u200f\\u2010-\\u2015\\u2028-\\u202f\\u205f-\\u206f\\u2212\\u3000\\ufe6b\\ufeff\\uff01-\\uff65+<\\t\\n\\v\\f\\r\\u0085]| {2}|\\u3002[0-9A-Za-z]';
// The scan also collects the runs of ASCII digits the detectors read (see digit-runs.ts): one more alternative costs
// it far less than a scan of its own.
const STOP = new RegExp(`[0-9]+|${STOPS}`, 'g');
// eslint-disable-next-line no-misleading-character-class -- the variation selectors (U+FE00–U+FE0F) are stops of their own here, never combined with the character before
const STOP_OR_BLOCK = new RegExp(`[0-9]+|${STOPS}|[\\u0580-\\u0f29\\u1040-\\u1c59\\ua620-\\uabf9\\ud801-\\ud83e\\u2e17-\\u2e5d\\u301c\\u3030\\u30a0\\ufe00-\\ufe63]`, 'g');
const inBlock = (c: number) => (c >= 0x0580 && c <= 0x0f29) || (c >= 0x1040 && c <= 0x1c59) || (c >= 0xa620 && c <= 0xabf9) || (c >= 0xd801 && c <= 0xd83e);
const OTHER_DIGIT = new RegExp(
	ZEROS.map((z) => {
		const first = String.fromCodePoint(z);
		const last = String.fromCodePoint(z + 9);
		return z < 0x10000 ? `[${first}-${last}]` : `${first[0]}[${first[1]}-${last[1]}]`;
	}).join('|'),
	'g',
);

// A whitespace run between two characters of a value: two blanks, a tab, a line break (CRLF is one) with a blank
// before or after it. Folded into one space after a digit, or after a letter or `)` when a digit follows.
const BREAK = '(?:\\r\\n|[\\n\\r\\u2028\\u2029\\u0085])';
const BLANK = '[ \\t\\v\\f]';
const RUN = `(?:${BLANK}{2}|[\\t\\v\\f]|${BREAK}${BLANK}?|${BLANK}${BREAK})`;
const FOLD = new RegExp(`[0-9](${RUN})(?=[0-9A-Za-z(])|[A-Za-z)](${RUN})(?=[0-9])`, 'g');

export function viewOf(original: string): TextView {
	const runs: DigitRunIndex = { starts: [], ends: [] };
	if (needsView(original, runs)) return folded(decoded(original));
	rememberDigitRuns(original, runs);
	return { text: original, at: null, ends: null };
}

/**
 * Whether the view of a text differs from it: a disguise to decode, or a whitespace run FOLD may fold. When it does
 * not, `runs` has received the text's runs of digits.
 */
function needsView(text: string, runs: DigitRunIndex): boolean {
	let stop = STOP_OR_BLOCK;
	stop.lastIndex = 0;
	// test, not exec: no match object per stop. What matched is told by its last character: a digit ends a run of
	// digits (or follows a `。`), a space ends two spaces, a letter follows a `。`; any other stop is one character.
	while (stop.test(text)) {
		const end = stop.lastIndex;
		const last = text.charCodeAt(end - 1);
		if (isAsciiDigit(last)) {
			let start = end - 1;
			let before = 0;
			while (start > 0 && isAsciiDigit((before = text.charCodeAt(start - 1)))) start--;
			// No run of digits starts right after a `。`: the `。` and that digit matched, a `。` the view reads as a dot.
			if (start > 0 && before === 0x3002) return true;
			runs.starts.push(start);
			runs.ends.push(end);
			continue;
		}
		const i = last === 32 || isAsciiLetter(last) ? end - 2 : end - 1;
		const c = text.charCodeAt(i);
		const kind = KIND[c];
		if (kind === DECODE) return true;
		if (kind === SPACE ? foldsAt(text, i) : c === 43 /* + */ ? isAsciiDigit(text.charCodeAt(i - 1)) && isAsciiDigit(text.charCodeAt(i + 1)) : c === 60 /* < */ ? startsTag(text, i) : c === 0x3002) return true;
		if (stop === STOP_OR_BLOCK && inBlock(c)) {
			OTHER_DIGIT.lastIndex = i;
			if (OTHER_DIGIT.test(text)) return true;
			stop = STOP;
			stop.lastIndex = i + 1;
		}
	}
	return false;
}

/** Whether the whitespace at `i` is part of a run FOLD may fold: short enough, with a digit (or bracket) beside it. */
function foldsAt(text: string, i: number): boolean {
	let start = i;
	while (start > 0 && i - start < 3 && isWhitespace(text.charCodeAt(start - 1))) start--;
	if (start > 0 && isWhitespace(text.charCodeAt(start - 1))) return false;
	const run = separatorLength(text, start, 1, text.length);
	if (run === 0 || (run === 1 && text.charCodeAt(start) === 32)) return false;
	return isDigitOrBracket(text.charCodeAt(start - 1), 41) || isDigitOrBracket(text.charCodeAt(start + run), 40);
}

/** `<`, an optional `/`, letters, then whitespace, `/` or `>`: what may be a tag tagAt reads. */
function startsTag(text: string, i: number): boolean {
	let k = i + 1;
	if (text.charCodeAt(k) === 47 /* / */) k++;
	const letters = k;
	while (isAsciiLetter(text.charCodeAt(k))) k++;
	const c = text.charCodeAt(k);
	return k > letters && (c === 47 || c === 62 || isWhitespace(c));
}

/** The original span of view span [start, end): from where its first character starts to where its last one ends. */
export function originalSpan(view: TextView, start: number, end: number): [number, number] {
	if (!view.at || !view.ends) return [start, end];
	// What was dropped right after the span (a closing tag, a zero-width space) stays outside it.
	return [view.at[start], end > start ? view.ends[end - 1] : view.at[start]];
}

/** The first pass: every disguise decoded, one view character (or none) per disguise. */
function decoded(original: string): TextView {
	const at = new Int32Array(original.length + 1);
	const ends = new Int32Array(original.length);
	const form = new FormValues(original);
	let text = '';
	let length = 0;
	let cursor = 0;
	for (let i = 0; i < original.length; ) {
		const kind = KIND[original.charCodeAt(i)];
		if (kind !== DECODE && kind !== CONTEXT) {
			i++;
			continue;
		}
		const { char, end } = decodeAt(original, i, form);
		// Nothing to decode after all (an `&` that starts no reference, a `+` that is a plus, an emoji): plain stretch.
		if (end - i === char.length && original.startsWith(char, i)) {
			i = end;
			continue;
		}
		// The plain stretch before it, one view character per original one.
		for (let k = cursor; k < i; k++) {
			at[length] = k;
			ends[length++] = k + 1;
		}
		if (i > cursor) text += original.slice(cursor, i);
		for (let k = 0; k < char.length; k++) {
			at[length] = i;
			ends[length++] = end;
		}
		text += char;
		cursor = i = end;
	}
	for (let k = cursor; k < original.length; k++) {
		at[length] = k;
		ends[length++] = k + 1;
	}
	text += original.slice(cursor);
	at[length] = original.length;
	return { text, at: at.subarray(0, length + 1), ends: ends.subarray(0, length) };
}

/**
 * The second pass: a short whitespace run between two characters of a value becomes one space, when the digits on
 * both sides can still be one value (see joins).
 */
function folded(view: TextView): TextView {
	const { text } = view;
	FOLD.lastIndex = 0;
	let m = FOLD.exec(text);
	if (!m) return view;
	const sourceAt = view.at;
	const sourceEnds = view.ends;
	const at = new Int32Array(text.length + 1);
	const ends = new Int32Array(text.length);
	const runs = new DigitRuns(text);
	let out = '';
	let length = 0;
	let cursor = 0;
	const copy = (from: number, to: number) => {
		for (let k = from; k < to; k++) {
			at[length] = sourceAt ? sourceAt[k] : k;
			ends[length++] = sourceEnds ? sourceEnds[k] : k + 1;
		}
		out += text.slice(from, to);
	};
	for (; m; m = FOLD.exec(text)) {
		const start = m.index + 1;
		const end = start + (m[1] ?? m[2]).length;
		if (!joins(text, start, end, runs)) continue;
		copy(cursor, start);
		at[length] = sourceAt ? sourceAt[start] : start;
		ends[length++] = sourceEnds ? sourceEnds[end - 1] : end;
		out += ' ';
		cursor = end;
	}
	copy(cursor, text.length);
	at[length] = sourceAt ? sourceAt[text.length] : text.length;
	return { text: out, at: at.subarray(0, length + 1), ends: ends.subarray(0, length) };
}

/**
 * Whether the whitespace run [start, end) of the view sits inside one value rather than between two, judged on the
 * run of digit groups around it (groups of letters and digits that hold a digit, one separator between two: a space,
 * `.`, `-`, `/` or a whitespace run FOLD reads, brackets passed over, a `+` only at its start). It does when one side
 * holds 8 digits or fewer (a card's two halves, a phone's tail: no phone number of the default regions is that
 * short, so two of them, one per line, stay apart), or when the run starts like an IBAN (`DE89`) and both sides
 * together are no longer than the longest IBAN (34 characters). So `+33 6 12 34⏎56 78`, `4111 1111⏎1111 1111` and
 * `DE89 3704 0044⏎0532 0130 00` are joined; two phone numbers on two lines (`06 12 34 56 78⏎06 98 76 54 32`), a
 * phone and a card, two cards, two IBANs are not. Nor is anything next to a calendar date (`Invoice 48213⏎2024-03-15`).
 */
function joins(text: string, start: number, end: number, runs: DigitRuns): boolean {
	const { before, after } = runs.around(start, end);
	const one = Math.min(before.digits, after.digits) <= MAX_PART_DIGITS || (runs.iban && before.chars + after.chars <= MAX_IBAN_CHARS);
	return one && !DATE_BEFORE.test(text.slice(Math.max(0, start - 10), start)) && !DATE_AFTER.test(text.slice(end, end + 10));
}
const MAX_PART_DIGITS = 8;
const MAX_IBAN_CHARS = 34;
const DATE = '(?:\\d{4}([-./])\\d\\d?\\1\\d\\d?|\\d\\d?([-./])\\d\\d?\\2\\d{4})';
const DATE_BEFORE = new RegExp(`(?:^|[^0-9])${DATE}$`);
const DATE_AFTER = new RegExp(`^${DATE}(?![0-9])`);

/**
 * The runs of digit groups of a view, found as the whitespace runs inside them are asked about, left to right: each
 * run is read once and the digits before each asked position counted on from the last one, so a text of a million
 * wrapped digits costs a few passes, not a million reads of its neighbourhood.
 */
class DigitRuns {
	/** The current run [from, to), its digits and letters-and-digits, whether it starts like an IBAN. */
	private from = 0;
	private to = 0;
	private digits = 0;
	private chars = 0;
	iban = false;
	/** Counted so far within the run: up to `counted`, `digitsBefore` digits and `charsBefore` characters. */
	private counted = 0;
	private digitsBefore = 0;
	private charsBefore = 0;

	constructor(private readonly text: string) {}

	around(start: number, end: number): { before: { digits: number; chars: number }; after: { digits: number; chars: number } } {
		if (start < this.from || end > this.to) this.read(start, end);
		const { text } = this;
		for (; this.counted < start; this.counted++) {
			const c = text.charCodeAt(this.counted);
			if (isAsciiAlnum(c)) this.charsBefore++;
			if (isAsciiDigit(c)) this.digitsBefore++;
		}
		return {
			before: { digits: this.digitsBefore, chars: this.charsBefore },
			after: { digits: this.digits - this.digitsBefore, chars: this.chars - this.charsBefore },
		};
	}

	/** The run the whitespace [start, end) is part of (empty on a side with no digit group). */
	private read(start: number, end: number) {
		const { text } = this;
		this.from = edgeOf(text, start - 1, -1) + 1;
		this.to = edgeOf(text, end, 1);
		this.digits = 0;
		this.chars = 0;
		for (let k = this.from; k < this.to; k++) {
			const c = text.charCodeAt(k);
			if (isAsciiAlnum(c)) this.chars++;
			if (isAsciiDigit(c)) this.digits++;
		}
		let first = this.from;
		while (first < start && isBracket(text.charCodeAt(first))) first++;
		this.iban = first < start && startsLikeIban(text, first);
		this.counted = this.from;
		this.digitsBefore = 0;
		this.charsBefore = 0;
	}
}

/**
 * Where the run of digit groups read outwards from `from` (`step` -1: to the left) ends: the first offset past it in
 * that direction; `from` itself when no group starts there. A `+` starts an international number, so no run goes
 * on past it: read to the left it is the run's first character, read to the right the run ends before it.
 */
function edgeOf(text: string, from: number, step: 1 | -1): number {
	const limit = step === 1 ? text.length : -1;
	let edge = from;
	for (let k = from; ; ) {
		for (; k !== limit && isBracket(text.charCodeAt(k)); k += step) if (step === 1 && text.charCodeAt(k) === 43) return edge;
		let groupDigits = 0;
		for (; k !== limit && isAsciiAlnum(text.charCodeAt(k)); k += step) if (isAsciiDigit(text.charCodeAt(k))) groupDigits++;
		if (groupDigits === 0) break;
		let plus = false;
		for (; k !== limit && isBracket(text.charCodeAt(k)) && !(step === 1 && text.charCodeAt(k) === 43); k += step) plus ||= text.charCodeAt(k) === 43;
		edge = k;
		if (plus) break;
		const gap = separatorLength(text, k, step, limit);
		if (gap === 0) break;
		k += gap * step;
	}
	return edge;
}

/** Two letters and two digits at `k` (`DE89`). */
function startsLikeIban(text: string, k: number): boolean {
	return isAsciiLetter(text.charCodeAt(k)) && isAsciiLetter(text.charCodeAt(k + 1)) && isAsciiDigit(text.charCodeAt(k + 2)) && isAsciiDigit(text.charCodeAt(k + 3));
}

/** The separator between two groups at `k`, read in direction `step`: one of `.-/`, or a whitespace run FOLD folds. */
function separatorLength(text: string, k: number, step: 1 | -1, limit: number): number {
	if (k === limit) return 0;
	const c = text.charCodeAt(k);
	if (c === 46 || c === 45 || c === 47) return 1;
	// Whitespace: one or two units (a character, or CRLF), one line break at most.
	let length = 0;
	let units = 0;
	let breaks = 0;
	for (let j = k; j !== limit && isWhitespace(text.charCodeAt(j)); j += step) {
		const d = text.charCodeAt(j);
		const crlf = j + step !== limit && (step === 1 ? d === 13 && text.charCodeAt(j + 1) === 10 : d === 10 && text.charCodeAt(j - 1) === 13);
		if (crlf) j += step;
		length += crlf ? 2 : 1;
		units++;
		if (crlf || isBreak(d)) breaks++;
		if (units > 2 || breaks > 1) return 0;
	}
	return length;
}

/** The view character for the special character at `i` ('' = dropped) and where the original continues. */
function decodeAt(original: string, i: number, form: FormValues): { char: string; end: number } {
	const c = original.charCodeAt(i);
	if (c === 38 /* & */) {
		const reference = referenceAt(original, i);
		if (reference) return { char: 'code' in reference ? plainCode(reference.code) : plain(reference.text), end: reference.end };
	} else if (c === 60 /* < */) {
		const tag = tagAt(original, i);
		if (tag) return { char: tag.text, end: tag.end };
	} else if (c === 43 /* + */) {
		return { char: form.isSpace(i) ? ' ' : '+', end: i + 1 };
	} else if (c === 92 /* \\ */) {
		const escape = decodeEscape(original, i);
		if (escape) return { char: plain(escape.char) || ' ', end: escape.end };
	} else if (c === 37 /* % */) {
		const percent = decodePercent(original, i);
		if (percent) return percent;
	} else if (c === 0x3002 /* 。 */) {
		return { char: isAsciiAlnum(original.charCodeAt(i + 1)) ? '.' : '\u3002', end: i + 1 };
	} else if (c >= 0xd800 && c <= 0xdbff && i + 1 < original.length) {
		const code = original.codePointAt(i)!;
		if (code > 0xffff) return { char: DIGIT.get(code) ?? original.slice(i, i + 2), end: i + 2 };
	}
	return { char: plain(original[i]), end: i + 1 };
}

/** `%40` (printable ASCII), and `%2540`: a `%` encoded again, as a redirect link does to the link inside it. */
function decodePercent(text: string, i: number): { char: string; end: number } | null {
	let code = printableHexAt(text, i + 1);
	if (code < 0) return null;
	let end = i + 3;
	for (let again = printableHexAt(text, end); code === 37 && again >= 0; again = printableHexAt(text, end)) {
		code = again;
		end += 2;
	}
	return { char: String.fromCharCode(code), end };
}

/** The printable ASCII character two hex digits at `i` encode, or -1. */
function printableHexAt(text: string, i: number): number {
	const hex = text.slice(i, i + 2);
	if (!/^[0-9a-fA-F]{2}$/.test(hex)) return -1;
	const code = parseInt(hex, 16);
	return code >= 0x20 && code < 0x7f ? code : -1;
}

/** A code point as detectors should see it. */
function plainCode(code: number): string {
	return code > 0xffff ? (DIGIT.get(code) ?? String.fromCodePoint(code)) : plain(String.fromCharCode(code));
}

/** One character as detectors should see it ('' = invisible, dropped). */
function plain(ch: string): string {
	const c = ch.charCodeAt(0);
	if (ch.length !== 1 || c < 0xa0) return ch;
	if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
	if (c === 0x00a0 || c === 0x3000 || c === 0x202f || c === 0x205f || (c >= 0x2000 && c <= 0x200a) || OTHER_SPACES.includes(ch)) return ' ';
	if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212 || OTHER_DASHES.includes(ch)) return '-';
	if (c === 0xfe6b) return '@';
	if (c === 0x3002 || c === 0xff61) return '.';
	if (c === 0x00ad || c === 0xfeff || (c >= 0x200b && c <= 0x200f) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2060 && c <= 0x206f) || OTHER_INVISIBLES.includes(ch)) return '';
	return DIGIT.get(c) ?? ch;
}

const ESCAPES: Record<string, string> = { n: ' ', r: ' ', t: ' ', f: ' ', b: ' ', '"': '"', "'": "'", '/': '/', '\\': '\\' };

/** `\n`, `\"`, `\u0040` at `i` (text that went through JSON.stringify twice): the character and where it ends. */
function decodeEscape(text: string, i: number): { char: string; end: number } | null {
	const next = text[i + 1];
	if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { char: String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), end: i + 6 };
	const char = ESCAPES[next];
	return char === undefined ? null : { char, end: i + 2 };
}

const isBracket = (c: number) => c === 40 || c === 41 || c === 43; // ( ) +
const isBreak = (c: number) => c === 10 || c === 13 || c === 0x85 || c === 0x2028 || c === 0x2029;
const isWhitespace = (c: number) => c === 32 || c === 9 || c === 11 || c === 12 || isBreak(c);
const isDigitOrBracket = (c: number, bracket: number) => isAsciiDigit(c) || c === bracket;

/**
 * Which `+` stand for a space: application/x-www-form-urlencoded writes a space as `+` (and a real plus as `%2B`).
 * A `+` is read as a space only between two letters or digits in the value of a `key=value` parameter (the
 * stretch between whitespace, `&`, `;`, `?`, `#`, quotes and angle brackets, after its first `=`) that joins two
 * digits with a `+` somewhere: `tel=06+12+34+56+78`, `iban=GB29+NWBK+6016…`. Not in `1+1=2` (no parameter), nor in
 * `email=john+tag@example.com` (no digits joined), nor the `+` of `tel=+33…` (not between two letters or digits).
 * Each stretch is read once, however many `+` it holds.
 */
class FormValues {
	/** The last stretch read: [from, to), where its value starts (-1: none), whether its `+` are spaces. */
	private from = 0;
	private to = 0;
	private valueFrom = -1;
	private spaces = false;

	constructor(private readonly text: string) {}

	isSpace(i: number): boolean {
		const { text } = this;
		if (!(i > 0 && isAsciiAlnum(text.charCodeAt(i - 1)) && isAsciiAlnum(text.charCodeAt(i + 1)))) return false;
		if (i < this.from || i >= this.to) this.read(i);
		return this.spaces && i > this.valueFrom;
	}

	private read(i: number) {
		const { text } = this;
		let from = i;
		while (from > 0 && !isStretchEnd(text.charCodeAt(from - 1))) from--;
		let to = i;
		while (to < text.length && !isStretchEnd(text.charCodeAt(to))) to++;
		let equals = from;
		while (equals < to && text.charCodeAt(equals) !== 61 /* = */) equals++;
		this.from = from;
		this.to = to;
		this.valueFrom = equals < to ? equals : -1;
		this.spaces = false;
		if (this.valueFrom === -1) return;
		for (let k = this.valueFrom + 1; k < to - 1; k++) {
			if (text.charCodeAt(k) === 43 && isAsciiDigit(text.charCodeAt(k - 1)) && isAsciiDigit(text.charCodeAt(k + 1))) {
				this.spaces = true;
				return;
			}
		}
	}
}

// Whitespace, & ; ? # " ' < >: where a parameter (or a word that is none) ends.
const isStretchEnd = (c: number) => c <= 32 || c === 38 || c === 59 || c === 63 || c === 35 || c === 34 || c === 39 || c === 60 || c === 62;
