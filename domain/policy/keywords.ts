import { cliticPrefixes } from '../ticket/clitics';
import { charClass, codePointAt, foldText, isMark, OTHER, SPACED, tokenEnd } from '../ticket/text';

/** What one text matched: per rule index, the keywords (as written in the policy) found in it. */
export type KeywordHits = Map<number, string[]>;

/** One keyword as the matcher looks for it. */
interface Pattern {
	keyword: number;
	/** The folded keyword; a space in it stands for one or more separators in the text. */
	text: string;
	/** Where its anchor sits in `text`: its first word, or its first letter of unspaced-script text. */
	anchorStart: number;
	anchorEnd: number;
	/** Whether it starts / ends with a letter or digit of a spaced script, which must then be a whole word there. */
	startsWord: boolean;
	endsWord: boolean;
}

/** Spaces and dashes between a keyword's parts: "follow-up" finds "follow up" and "follow–up". */
const SEPARATORS = /(?<=\S)[\s\p{Pd}]+(?=\S)/gu;

/** A keyword as it is compared: folded like ticket text, its separators made one space. */
export function keywordForm(term: string): string {
	return foldText(term).trim().replace(SEPARATORS, ' ');
}

/** Where a folded keyword's anchor is, or null when it has no letter or digit at all. */
function anchorOf(text: string): { start: number; end: number; word: boolean } | null {
	for (let i = 0; i < text.length; ) {
		const code = text.codePointAt(i)!;
		const kind = charClass(code);
		if (kind === SPACED) {
			let end = i + width(code);
			while (end < text.length && charClass(text.codePointAt(end)!) === SPACED) end += width(text.codePointAt(end)!);
			return { start: i, end, word: true };
		}
		if (kind !== OTHER) return { start: i, end: i + width(code), word: false };
		i += width(code);
	}
	return null;
}

/**
 * Why a keyword can never match, or null. A keyword of emoji, symbols or punctuation alone has no word to be
 * found by (and `c++`, `$100` are found through theirs), so a rule holding only such keywords would be dead.
 */
export function keywordProblem(term: string): string | null {
	if (anchorOf(keywordForm(term)) !== null) return null;
	return `keyword "${term}" can never match: it needs a letter or digit (emoji, symbols and punctuation alone are not searchable)`;
}

/**
 * Every rule's keywords in one structure, built once per policy, and one pass over each text. A keyword is
 * indexed by its anchor: its first word (a map lookup per word of the text, however many keywords there are),
 * or, in scripts written without spaces (Chinese, Japanese, Thai…) and in Korean, its first letter (a lookup per
 * letter: such keywords match inside words). Around an anchor found in the text, the rest of the keyword is
 * compared literally, so `c++`, `$100`, `24/7`, `.net`, `#hashtag` keep their symbols; its spaces and dashes match
 * any run of separators; its words must be whole words.
 */
export class KeywordMatcher {
	private readonly byWord = new Map<string, Pattern[]>();
	private readonly byLetter = new Map<number, Pattern[]>();
	/**
	 * Every ASCII anchor word in one case-insensitive, whole-word regular expression: the regex engine's native
	 * scan finds candidate words in ASCII text far faster than a character loop in JavaScript.
	 */
	private readonly asciiWords: RegExp | null;
	/** Whether any keyword starts with an Arabic or Hebrew word, which text may carry with a joined prefix. */
	private readonly clitics: boolean;
	private readonly owners: number[] = [];
	private readonly terms: string[] = [];
	private readonly stamp: Uint32Array;
	private pass = 0;

	constructor(keywordsByRule: string[][]) {
		const seen = new Set<string>();
		keywordsByRule.forEach((list, rule) => {
			for (const term of list) {
				const text = keywordForm(term);
				const key = `${rule}\u0000${text}`;
				const anchor = anchorOf(text);
				// The policy schema refuses keywords without an anchor; a matcher built directly skips them.
				if (anchor === null || seen.has(key)) continue;
				seen.add(key);
				const pattern: Pattern = {
					keyword: this.terms.length,
					text,
					anchorStart: anchor.start,
					anchorEnd: anchor.end,
					startsWord: charClass(text.codePointAt(0)!) === SPACED,
					endsWord: charClass(lastCodePoint(text, text.length)) === SPACED,
				};
				this.terms.push(term);
				this.owners.push(rule);
				if (anchor.word) push(this.byWord, text.slice(anchor.start, anchor.end), pattern);
				else push(this.byLetter, text.codePointAt(anchor.start)!, pattern);
			}
		});
		this.stamp = new Uint32Array(this.terms.length);
		// A keyword with anything non-ASCII can never occur in ASCII text: the fast path need not know it.
		const ascii = [...this.byWord].filter(([, patterns]) => patterns.some((p) => isAscii(p.text))).map(([word]) => word);
		ascii.sort((a, b) => b.length - a.length);
		this.asciiWords = ascii.length ? new RegExp(`\\b(?:${ascii.join('|')})\\b`, 'gi') : null;
		this.clitics = [...this.byWord.keys()].some((word) => CLITIC_SCRIPT.test(word));
	}

	get size(): number {
		return this.terms.length;
	}

	/** Keywords found in a ticket's subject and body, grouped by rule. */
	match(subject: string, body: string): KeywordHits {
		if (this.terms.length === 0) return NO_HITS;
		// A fresh stamp per call marks keywords already reported without clearing an array.
		if (++this.pass === 0xffffffff) {
			this.stamp.fill(0);
			this.pass = 1;
		}
		this.hits = null;
		this.scan(subject);
		this.scan(body);
		return this.hits ?? NO_HITS;
	}

	private hits: KeywordHits | null = null;

	private report(keyword: number) {
		if (this.stamp[keyword] === this.pass) return;
		this.stamp[keyword] = this.pass;
		const rule = this.owners[keyword];
		this.hits ??= new Map();
		const list = this.hits.get(rule);
		if (list) list.push(this.terms[keyword]);
		else this.hits.set(rule, [this.terms[keyword]]);
	}

	private scan(text: string) {
		if (text === '') return;
		if (isAscii(text)) this.scanAscii(text);
		else this.scanUnicode(foldText(text));
	}

	/** The common case, plain ASCII: the anchor regex finds candidates in place (no folding, no copy). */
	private scanAscii(text: string) {
		const regex = this.asciiWords;
		if (regex === null) return;
		regex.lastIndex = 0;
		let m: RegExpExecArray | null;
		while ((m = regex.exec(text)) !== null) {
			const end = m.index + m[0].length;
			for (const p of this.byWord.get(m[0].toLowerCase())!) if (around(text, p, m.index, end)) this.report(p.keyword);
		}
	}

	/** Folded text of any script: each token once, a word looked up whole, unspaced text letter by letter. */
	private scanUnicode(folded: string) {
		// Latin text with accents folds to ASCII: back to the fast path.
		if (isAscii(folded)) {
			this.scanAscii(folded);
			return;
		}
		const n = folded.length;
		for (let start = 0; start < n; ) {
			const first = codePointAt(folded, start);
			const kind = charClass(first);
			if (kind === OTHER) {
				start += width(first);
				continue;
			}
			const end = tokenEnd(folded, start + width(first), kind);
			if (kind === SPACED) this.word(folded, folded.slice(start, end), start);
			else if (this.byLetter.size > 0) {
				for (let at = start; at < end; ) {
					const code = codePointAt(folded, at);
					const size = width(code);
					const patterns = this.byLetter.get(code);
					if (patterns) for (const p of patterns) if (around(folded, p, at, at + size)) this.report(p.keyword);
					at += size;
				}
			}
			start = end;
		}
	}

	/** A word of a spaced script at `at`: the keywords anchored on it, and on it without a joined Arabic/Hebrew prefix. */
	private word(text: string, token: string, at: number) {
		const end = at + token.length;
		const patterns = this.byWord.get(token);
		if (patterns) for (const p of patterns) if (around(text, p, at, end)) this.report(p.keyword);
		if (!this.clitics) return;
		for (const n of cliticPrefixes(token)) {
			const bare = this.byWord.get(token.slice(n));
			if (bare) for (const p of bare) if (p.anchorStart === 0 && around(text, p, at + n, end, at)) this.report(p.keyword);
		}
	}
}

const CLITIC_SCRIPT = /^[\u05d0-\u05ea\u0620-\u064a]/;
const NO_HITS: KeywordHits = new Map();
const NON_ASCII = /[^\0-\x7f]/;

function isAscii(text: string): boolean {
	return !NON_ASCII.test(text);
}

function width(code: number): number {
	return code > 0xffff ? 2 : 1;
}

/** The code point ending just before `end`. */
function lastCodePoint(text: string, end: number): number {
	const low = text.charCodeAt(end - 1);
	if (low >= 0xdc00 && low <= 0xdfff && end >= 2) {
		const high = text.charCodeAt(end - 2);
		if (high >= 0xd800 && high <= 0xdbff) return text.codePointAt(end - 2)!;
	}
	return low;
}

function push<K>(map: Map<K, Pattern[]>, key: K, pattern: Pattern) {
	const list = map.get(key);
	if (list) list.push(pattern);
	else map.set(key, [pattern]);
}

/** A keyword character against a text character: the text is folded, or raw ASCII (then only its case differs). */
function same(text: string, i: number, code: number): boolean {
	let c = text.charCodeAt(i);
	if (c >= 65 && c <= 90) c += 32;
	return c === code;
}

const SPACE = 32;

/**
 * Does the whole keyword sit around its anchor, found in the text at [from, to)? Its other characters compare
 * literally, a space in it takes one or more separators (stopping at the keyword's next character, so
 * `price: $100` finds "price:  $100"), its edge words must be whole, and a combining mark after it would belong to
 * its last letter (ช is not in ช้า). `wordFrom` is where the text's word starts when a joined prefix precedes the anchor.
 */
function around(text: string, p: Pattern, from: number, to: number, wordFrom = from): boolean {
	const k = p.text;
	let end = to;
	for (let j = p.anchorEnd; j < k.length; j++) {
		const want = k.charCodeAt(j);
		if (want !== SPACE) {
			if (end >= text.length || !same(text, end, want)) return false;
			end++;
			continue;
		}
		const next = k.charCodeAt(j + 1);
		if (end >= text.length || charClass(text.codePointAt(end)!) !== OTHER) return false;
		do end += width(text.codePointAt(end)!);
		while (end < text.length && text.charCodeAt(end) !== next && charClass(text.codePointAt(end)!) === OTHER);
	}
	let start = from;
	for (let j = p.anchorStart - 1; j >= 0; j--) {
		const want = k.charCodeAt(j);
		if (want !== SPACE) {
			if (start === 0 || !same(text, start - 1, want)) return false;
			start--;
			continue;
		}
		const previous = k.charCodeAt(j - 1);
		if (start === 0 || charClass(lastCodePoint(text, start)) !== OTHER) return false;
		do start -= width(lastCodePoint(text, start));
		while (start > 0 && text.charCodeAt(start - 1) !== previous && charClass(lastCodePoint(text, start)) === OTHER);
	}
	if (start === from) start = wordFrom;
	if (p.startsWord && start > 0 && charClass(lastCodePoint(text, start)) === SPACED) return false;
	if (end < text.length) {
		const after = text.codePointAt(end)!;
		if ((p.endsWord && charClass(after) === SPACED) || isMark(after)) return false;
	}
	return true;
}
