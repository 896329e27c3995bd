/**
 * The text detectors read: the original with the disguises a ticket puts on characters taken off, and for every
 * character of it the offset of the original text it came from, so a redaction replaces the original span (the
 * vendor never gets `john&#64;example.com` half-decoded, nor the decoded form of something we did not redact).
 *
 * Taken off: HTML character references (`&#64;`, `&#x40;`, `&commat;`…), percent-encoding of printable ASCII
 * (`%40`), JSON/JavaScript escapes of text that was encoded twice (`\\n`, `\\"`, `\\u0040`), full-width forms (`＠`, `４１１１`), every Unicode space as a space, every Unicode hyphen/dash as `-`, and
 * invisible characters (zero-width spaces and joiners, soft hyphens, BOM) are dropped.
 */
export interface TextView {
	/** What detectors read. */
	text: string;
	/** `at[i]`: offset in the original of view character i; `at[text.length]` is the original's length. Null: identity. */
	at: Int32Array | null;
}

const NAMED: Record<string, string> = {
	amp: '&',
	commat: '@',
	period: '.',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: ' ',
	plus: '+',
	hyphen: '-',
	dash: '-',
	lpar: '(',
	rpar: ')',
	lsqb: '[',
	rsqb: ']',
	num: '#',
	percnt: '%',
	colon: ':',
	sol: '/',
	lowbar: '_',
};

// Characters that start something to decode; everything between two of them is copied as it is.
const SPECIAL = /[&%\\\u00a0\u00ad\u2000-\u200d\u2010-\u2015\u202f\u205f\u2060\u2212\u3000\ufe6b\ufeff\uff01-\uff5e]/g;
const NEEDS_VIEW = new RegExp(SPECIAL.source);

export function viewOf(original: string): TextView {
	if (!NEEDS_VIEW.test(original)) return { text: original, at: null };
	const at = new Int32Array(original.length + 1);
	let text = '';
	let cursor = 0;
	SPECIAL.lastIndex = 0;
	for (let m = SPECIAL.exec(original); m; m = SPECIAL.exec(original)) {
		const i = m.index;
		// The plain stretch before it, one view character per original one.
		for (let k = cursor; k < i; k++) at[text.length + k - cursor] = k;
		text += original.slice(cursor, i);
		const { char, end } = decodeAt(original, i);
		if (char !== '') {
			at[text.length] = i;
			text += char;
		}
		cursor = end;
		SPECIAL.lastIndex = end;
	}
	for (let k = cursor; k < original.length; k++) at[text.length + k - cursor] = k;
	text += original.slice(cursor);
	at[text.length] = original.length;
	return { text, at: at.subarray(0, text.length + 1) };
}

/** The view character for the special character at `i` ('' = dropped) and where the original continues. */
function decodeAt(original: string, i: number): { char: string; end: number } {
	const c = original.charCodeAt(i);
	if (c === 38 /* & */) {
		const entity = decodeEntity(original, i);
		if (entity) return { char: plain(entity.char), end: entity.end };
	} else if (c === 92 /* \\ */) {
		const escape = decodeEscape(original, i);
		if (escape) return { char: plain(escape.char) || ' ', end: escape.end };
	} else if (c === 37 /* % */) {
		const hex = original.slice(i + 1, i + 3);
		const code = parseInt(hex, 16);
		if (/^[0-9a-fA-F]{2}$/.test(hex) && code >= 0x20 && code < 0x7f) return { char: String.fromCharCode(code), end: i + 3 };
	}
	return { char: plain(original[i]), end: i + 1 };
}

/** The original span of view span [start, end). */
export function originalSpan(view: TextView, start: number, end: number): [number, number] {
	return view.at ? [view.at[start], view.at[end]] : [start, end];
}

/** One character as detectors should see it ('' = invisible, dropped). */
function plain(ch: string): string {
	const c = ch.charCodeAt(0);
	if (ch.length !== 1 || c < 0xa0) return ch;
	if (c >= 0xff01 && c <= 0xff5e) return String.fromCharCode(c - 0xfee0);
	if (c === 0x00a0 || c === 0x3000 || c === 0x202f || c === 0x205f || (c >= 0x2000 && c <= 0x200a)) return ' ';
	if ((c >= 0x2010 && c <= 0x2015) || c === 0x2212) return '-';
	if (c === 0xfe6b) return '@';
	if (c === 0x00ad || c === 0xfeff || (c >= 0x200b && c <= 0x200d) || c === 0x2060) return '';
	return ch;
}

/** `&#64;`, `&#x40;`, `&commat;` at `i`: the character and where the reference ends; null when it is none. */
function decodeEntity(text: string, i: number): { char: string; end: number } | null {
	const semi = text.indexOf(';', i + 2);
	if (semi === -1 || semi - i > 10) return null;
	const name = text.slice(i + 1, semi);
	let code: number;
	if (/^#\d{1,7}$/.test(name)) code = Number(name.slice(1));
	else if (/^#[xX][0-9a-fA-F]{1,6}$/.test(name)) code = parseInt(name.slice(2), 16);
	else {
		const named = NAMED[name.toLowerCase()];
		return named === undefined ? null : { char: named, end: semi + 1 };
	}
	if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
	const char = String.fromCodePoint(code);
	// A supplementary character decodes to two units; detectors only care about BMP punctuation and digits.
	return { char: char.length === 1 ? char : '\ufffd', end: semi + 1 };
}

const ESCAPES: Record<string, string> = { n: ' ', r: ' ', t: ' ', f: ' ', b: ' ', '"': '"', "'": "'", '/': '/', '\\': '\\' };

/** `\n`, `\"`, `\u0040` at `i` (text that went through JSON.stringify twice): the character and where it ends. */
function decodeEscape(text: string, i: number): { char: string; end: number } | null {
	const next = text[i + 1];
	if (next === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6))) return { char: String.fromCharCode(parseInt(text.slice(i + 2, i + 6), 16)), end: i + 6 };
	const char = ESCAPES[next];
	return char === undefined ? null : { char, end: i + 2 };
}
