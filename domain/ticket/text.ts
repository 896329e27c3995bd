const ASCII = /^\p{ASCII}*$/u;

/**
 * Scripts written without spaces between words (Chinese, Japanese, Thai, Lao, Khmer, Myanmar, Tibetan) and Korean,
 * whose particles attach to the word before (환불을, 환불이): a keyword in them can only be found as a substring.
 * Script_Extensions, so the signs these scripts share (ー, 々, the kana voicing marks) count as theirs.
 */
const UNSPACED = String.raw`[\p{L}\p{N}\p{M}]&&[\p{scx=Hani}\p{scx=Hira}\p{scx=Kana}\p{scx=Hang}\p{scx=Thai}\p{scx=Laoo}\p{scx=Khmr}\p{scx=Mymr}\p{scx=Tibt}]`;
const UNSPACED_CHAR = new RegExp(`[${UNSPACED}]`, 'v');
/** A character of a word in a spaced script: letters, digits, marks (Indic vowel signs) and `_` (`api_key` is one word). */
const SPACED_CHAR = new RegExp(`[[\\p{L}\\p{N}\\p{M}_]--[${UNSPACED}]]`, 'v');
const MARK = /\p{M}/u;

/** What a character is to the keyword matcher: part of a word of a spaced script (Latin, Arabic, Devanagari…)… */
export const SPACED = 0;
/** …a letter of a script written without spaces (or Korean)… */
export const UNSPACED_LETTER = 1;
/** …or anything else: spaces, punctuation, symbols, emoji. */
export const OTHER = 2;
export type CharClass = typeof SPACED | typeof UNSPACED_LETTER | typeof OTHER;

/** Per BMP code point, its class + 1 once worked out (0: not yet). */
const BMP_CLASS = new Uint8Array(0x10000);

export function charClass(code: number): CharClass {
	if (code < 128) return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 ? SPACED : OTHER;
	// The letters of the unspaced scripts met most (kana, common CJK ideographs, Hangul syllables) without a regex.
	if ((code >= 0x3041 && code <= 0x3096) || (code >= 0x30a1 && code <= 0x30fa) || (code >= 0x4e00 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3)) {
		return UNSPACED_LETTER;
	}
	if (code > 0xffff) return classOf(code);
	// Any other BMP character: worked out by the regexes once per process, then read from a 64 KB table.
	const known = BMP_CLASS[code];
	if (known !== 0) return (known - 1) as CharClass;
	const kind = classOf(code);
	BMP_CLASS[code] = kind + 1;
	return kind;
}

function classOf(code: number): CharClass {
	const char = String.fromCodePoint(code);
	return SPACED_CHAR.test(char) ? SPACED : UNSPACED_CHAR.test(char) ? UNSPACED_LETTER : OTHER;
}

/** The code point at `i` (a UTF-16 index): a surrogate pair read whole, a lone surrogate as itself. */
export function codePointAt(text: string, i: number): number {
	const code = text.charCodeAt(i);
	return code >= 0xd800 && code <= 0xdbff ? text.codePointAt(i)! : code;
}

/**
 * Where the token starting at `from` (a character of class `kind`, not OTHER) ends: a folded text's tokens are the
 * words of spaced scripts and the runs of unspaced-script text ("APIが500" → api, が, 500). A loop, not a regular
 * expression: a regex quantifier over these classes (which hold astral characters) keeps a backtracking frame per
 * character, and a few million letters without a space overflowed the stack.
 */
export function tokenEnd(text: string, from: number, kind: CharClass): number {
	let i = from;
	const n = text.length;
	while (i < n) {
		const code = codePointAt(text, i);
		if (charClass(code) !== kind) break;
		i += code > 0xffff ? 2 : 1;
	}
	return i;
}

export function isMark(code: number): boolean {
	return code >= 0x300 && MARK.test(String.fromCodePoint(code));
}

/**
 * Invisible characters that only steer rendering or line breaking: format characters (zero-width space and joiners,
 * word joiner, soft hyphen, BOM, direction marks), variation selectors and the combining grapheme joiner. Inside
 * a word they must not split it.
 */
const IGNORABLE = /[\p{Cf}\u034f\ufe00-\ufe0f\u{e0100}-\u{e01ef}]/gu;
/**
 * Symbols whose compatibility form spells Latin letters or digits (™ → tm, ㎏ → kg, № → no, 🄰 → a): each becomes a
 * word of its own instead of gluing to its neighbour ("API™" must still be "api"). The ranges are every \p{S}
 * character whose NFKD holds a letter or digit of a spaced script (Unicode 17); the callback checks again, so an
 * older Unicode on the running Node only leaves some of them alone.
 */
const SPELLING_SYMBOL = /[\u20a8\u2100-\u2101\u2103\u2105-\u2106\u2109\u2116\u2120-\u2122\u213b\u249c-\u24e9\u3250\u32c0-\u32cf\u3358-\u337a\u3380-\u33ff\ufdfc\u{1ccd6}-\u{1ccef}\u{1f110}-\u{1f12e}\u{1f130}-\u{1f14f}\u{1f16a}-\u{1f16c}\u{1f190}]/gu;
const LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;
/**
 * Marks that are optional accents in their script: Latin, Greek and Cyrillic diacritics (é, ά, ё, й), Hebrew
 * points, Arabic harakat and hamza (أ → ا), and marks on symbols (keycaps). Marks of the other scripts spell
 * different words (カード/カート, ช้า/ชา, बिल/बल) and stay.
 */
const OPTIONAL_BASE = /[\p{sc=Latn}\p{sc=Grek}\p{sc=Cyrl}\p{sc=Hebr}\p{sc=Arab}\p{sc=Zyyy}]/u;
const MARKS = /\p{M}+/gu;
/** Letters that are variants of others but do not decompose: ß, ligatures, stroked letters, final sigma, Arabic/Persian forms. */
const LETTER_VARIANTS: Record<string, string> = {
	ß: 'ss',
	æ: 'ae',
	œ: 'oe',
	ø: 'o',
	ł: 'l',
	đ: 'd',
	ð: 'd',
	þ: 'th',
	ħ: 'h',
	ı: 'i',
	ς: 'σ',
	'\u0640': '', // Arabic tatweel: stretches a word, spells nothing
	'\u0649': '\u064a', // alef maksura ى, written for a final yeh
	'\u06cc': '\u064a', // Persian yeh ی
	'\u06a9': '\u0643', // Persian kaf ک
	'\u2018': "'",
	'\u2019': "'",
	'\u02bc': "'",
};
const VARIANT = new RegExp(`[${Object.keys(LETTER_VARIANTS).join('')}]`, 'gu');

/**
 * The form keywords and ticket text are compared in: case folded, compatibility forms unified (full-width
 * letters, ligatures, half-width kana: NFKC), optional accents removed (see OPTIONAL_BASE), invisible characters
 * dropped. Pure ASCII, the common case, is only lower-cased.
 */
export function foldText(text: string): string {
	if (ASCII.test(text)) return text.toLowerCase();
	// Mostly ASCII text (European languages): only its few non-ASCII runs need work, each with the character before
	// it (the base of a combining mark). Text with many runs is folded whole, in a few native passes.
	NON_ASCII_RUN.lastIndex = 0;
	let out = '';
	let done = 0;
	let runs = 0;
	for (let m: RegExpExecArray | null; (m = NON_ASCII_RUN.exec(text)) !== null; ) {
		if (++runs > FEW_RUNS) return foldRun(text).toLowerCase();
		out += text.slice(done, m.index) + foldRun(m[0]);
		done = m.index + m[0].length;
	}
	return (out + text.slice(done)).toLowerCase();
}

const NON_ASCII_RUN = /[^]?[^\0-\x7f]+/g;
const FEW_RUNS = 16;

/**
 * Latin-1 to Cyrillic (U+0080–U+052F) but combining marks: each character folds alone, the same in any context
 * (even Σ, whose final and other lower cases fold alike), so a table built once from the full pipeline does the
 * European languages' accented letters without normalising.
 */
const TABLE_END = 0x530;
let table: Array<string | undefined> | null = null;

function foldTable(): Array<string | undefined> {
	if (table) return table;
	table = [];
	for (let code = 0x80; code < TABLE_END; code++) {
		const char = String.fromCharCode(code);
		table[code] = MARK.test(char) ? undefined : foldAny(char);
	}
	return table;
}

function foldRun(run: string): string {
	const folded = foldTable();
	let out = '';
	for (let i = 0; i < run.length; i++) {
		const code = run.charCodeAt(i);
		const one = code < 0x80 ? run[i] : code < TABLE_END ? folded[code] : undefined;
		if (one === undefined) return foldAny(run);
		out += one;
	}
	return out;
}

/** The full folding of any text; see foldText. */
function foldAny(run: string): string {
	return run
		.replace(IGNORABLE, '')
		.replace(SPELLING_SYMBOL, spellSymbol)
		.normalize('NFKD')
		.toLowerCase()
		.replace(MARKS, dropOptional)
		.normalize('NFC')
		.replace(VARIANT, (c) => LETTER_VARIANTS[c]);
}

function spellSymbol(symbol: string): string {
	const spelled = symbol.normalize('NFKD');
	return spelled !== symbol && LETTER_OR_DIGIT.test(spelled) ? ` ${spelled} ` : symbol;
}

/** Combining marks go when their base letter is of a script whose marks are optional accents (OPTIONAL_BASE). */
function dropOptional(marks: string, at: number, text: string): string {
	// No base: a defective combining sequence, which Unicode displays on a space (a symbol: its marks go).
	if (at === 0) return '';
	const low = text.charCodeAt(at - 1);
	// The blocks met most, decided without a regex: Latin to Cyrillic, Hebrew and Arabic drop their marks; Indic,
	// Thai, Lao and kana keep them.
	if (low < 0x530 || (low >= 0x590 && low < 0x700)) return '';
	if ((low >= 0x900 && low < 0xf00) || (low >= 0x3040 && low < 0x3100)) return marks;
	const base = low >= 0xdc00 && low <= 0xdfff && at >= 2 ? text.slice(at - 2, at) : text[at - 1];
	return OPTIONAL_BASE.test(base) ? '' : marks;
}

/**
 * `text.toLowerCase()`, without the copy toLowerCase makes of a text it leaves as it is (24 bytes a call): labels
 * mostly arrive lower-cased already, and a batch lower-cases six of them a ticket, twice.
 */
export function lowerCased(text: string): string {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if ((code >= 65 && code <= 90) || code >= 128) return text.toLowerCase();
	}
	return text;
}
