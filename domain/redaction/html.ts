import { isAsciiAlnum } from './chars';

/**
 * The HTML a ticket's text may carry, as the view (view.ts) reads it: character references (`&#64;`, `&#x40;`,
 * `&commat;`, `&shy;`…) and the tags that do not separate what is around them (`<wbr>`, `<span>`, `<b>`…), so
 * `4111&shy;1111…` and `0612<b>34</b>5678` read as the numbers a browser shows.
 */

/** Named references by lower-cased name, as the view reads them: '' = invisible, dropped. */
const NAMED: Record<string, string> = {
	amp: '&',
	commat: '@',
	period: '.',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	plus: '+',
	lpar: '(',
	rpar: ')',
	lsqb: '[',
	rsqb: ']',
	num: '#',
	percnt: '%',
	colon: ':',
	sol: '/',
	lowbar: '_',
	// Spaces (U+00A0, U+2002–U+200A, U+205F, U+205F U+200A), tab and line feed.
	nbsp: ' ',
	nonbreakingspace: ' ',
	ensp: ' ',
	emsp: ' ',
	emsp13: ' ',
	emsp14: ' ',
	numsp: ' ',
	puncsp: ' ',
	thinsp: ' ',
	thinspace: ' ',
	hairsp: ' ',
	verythinspace: ' ',
	mediumspace: ' ',
	thickspace: ' ',
	tab: '\t',
	newline: '\n',
	// Hyphens and dashes (U+2010, U+2013, U+2014, U+2015, U+2212).
	hyphen: '-',
	dash: '-',
	ndash: '-',
	mdash: '-',
	horbar: '-',
	minus: '-',
	// Invisible: soft hyphen, zero-width space (and its four "negative space" names), joiners, word joiner,
	// direction marks, invisible operators.
	shy: '',
	zerowidthspace: '',
	negativeverythinspace: '',
	negativethinspace: '',
	negativemediumspace: '',
	negativethickspace: '',
	zwnj: '',
	zwj: '',
	nobreak: '',
	lrm: '',
	rlm: '',
	af: '',
	invisibletimes: '',
	it: '',
	invisiblecomma: '',
	ic: '',
};

/**
 * The longest reference read: `&` + the longest name (or `#` and digits) + `;`. A reference is looked for only
 * this far after its `&`, so a text of a million `&` and no `;` costs a million short looks, not a million searches
 * of the rest of the text. Numeric references may carry leading zeros (`&#0064;`) within the same bound.
 */
export const LONGEST_REFERENCE = 2 + Math.max(...Object.keys(NAMED).map((n) => n.length));

/** A decoded reference: the code point (numeric references) or view text (named ones), and where it ends. */
export type Reference = { code: number; end: number } | { text: string; end: number };

/**
 * The character reference whose `&` is at `i`, or null. Reads at most LONGEST_REFERENCE characters from `i` (from
 * each `&` of a reference encoded twice), with charCodeAt and slice only. Numeric references are read without their
 * `;` too, as browsers do (`&#64` before a non-digit); named ones need it. `&amp;` followed by a reference is that
 * reference encoded twice (`&amp;#64;`): decoded both times, the whole of it ending where the inner reference ends.
 */
export function referenceAt(text: string, i: number): Reference | null {
	let found = referenceFrom(text, i + 1, i + LONGEST_REFERENCE);
	// Each round reads past at least two more characters: bounded by the text.
	while (found && ('text' in found ? found.text === '&' : found.code === 38)) {
		const inner = referenceFrom(text, found.end, found.end - 1 + LONGEST_REFERENCE);
		if (!inner) break;
		found = inner;
	}
	return found;
}

/** The reference whose name starts at `from` (just after an `&`), read no further than `limit`. */
function referenceFrom(text: string, from: number, limit: number): Reference | null {
	const end = Math.min(limit, text.length);
	if (from >= end) return null;
	if (text.charCodeAt(from) === 35 /* # */) return numericFrom(text, from + 1, end);
	let k = from;
	while (k < end && isAsciiAlnum(text.charCodeAt(k))) k++;
	if (k === from || k >= end || text.charCodeAt(k) !== 59 /* ; */) return null;
	const named = NAMED[text.slice(from, k).toLowerCase()];
	return named === undefined ? null : { text: named, end: k + 1 };
}

function numericFrom(text: string, from: number, end: number): Reference | null {
	const hex = from < end && (text.charCodeAt(from) | 0x20) === 120; /* x, X */
	let k = hex ? from + 1 : from;
	const digitsFrom = k;
	let code = 0;
	for (; k < end; k++) {
		const digit = digitValue(text.charCodeAt(k), hex);
		if (digit < 0) break;
		// Past the last code point the value stays out of range; leading zeros add nothing.
		code = Math.min(code * (hex ? 16 : 10) + digit, 0x110000);
	}
	if (k === digitsFrom || code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) return null;
	// A reference cut off by the bound is none: `&#000…` longer than any reference read.
	if (k === end && end < text.length) return null;
	return { code, end: k < text.length && text.charCodeAt(k) === 59 /* ; */ ? k + 1 : k };
}

function digitValue(c: number, hex: boolean): number {
	if (c >= 48 && c <= 57) return c - 48;
	if (!hex) return -1;
	const lower = c | 0x20;
	return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/**
 * Tags that never separate what is around them (phrasing content that adds no space): dropped by the view like
 * zero-width characters, so `0612<b>34</b>5678` reads 0612345678. Block tags (`<p>`, `<div>`, `<td>`, `<li>`…)
 * separate content and stay; `<br>` is a line break.
 */
const INLINE = new Set([
	'a', 'abbr', 'b', 'bdi', 'bdo', 'big', 'cite', 'code', 'data', 'del', 'dfn', 'em', 'font', 'i', 'ins', 'kbd',
	'mark', 'nobr', 'q', 's', 'samp', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'time', 'tt', 'u', 'var', 'wbr',
]);
/**
 * Attributes that hold presentation, never ticket data: only a tag with none but these is dropped. Any other
 * attribute (`href`, `title`, `data-*`…) may hold what detectors must see, so that tag stays in the view.
 */
const PRESENTATION = new Set(['style', 'class', 'dir', 'lang', 'face', 'size', 'color']);

/** A tag is read only this far after its `<` (rich-text editors' style attributes run to a few hundred characters). */
export const LONGEST_TAG = 1024;
const ATTRIBUTE = `\\s+([A-Za-z][A-Za-z-]{0,19})\\s*=\\s*(?:"[^"<>]*"|'[^'<>]*'|[^\\s"'<>=\`]+)`;
const TAG = new RegExp(`<(\\/?)([A-Za-z][A-Za-z0-9]{0,9})((?:${ATTRIBUTE})*)\\s*\\/?>`, 'y');
const ATTRIBUTES = new RegExp(ATTRIBUTE, 'g');

/** The tag at `i` as the view reads it ('' = dropped, '\n' for `<br>`) and where it ends; null when it stays. */
export function tagAt(text: string, i: number): { text: string; end: number } | null {
	const window = text.slice(i, i + LONGEST_TAG);
	TAG.lastIndex = 0;
	const m = TAG.exec(window);
	if (!m) return null;
	const name = m[2].toLowerCase();
	const br = name === 'br';
	if (!br && !INLINE.has(name)) return null;
	for (const [, attribute] of m[3].matchAll(ATTRIBUTES)) if (!PRESENTATION.has(attribute.toLowerCase())) return null;
	return { text: br ? '\n' : '', end: i + m[0].length };
}
