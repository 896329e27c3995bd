import { foldText, UNSPACED_SCRIPT, words } from '../ticket/text';

/** What one text matched: per rule index, the keywords (as written in the policy) found in it. */
export type KeywordHits = Map<number, string[]>;

interface Phrase {
	/** Words after the first one. */
	rest: string[];
	keyword: number;
}

const NON_ASCII = /[\u0080-\uffff]/;

/** a-z, A-Z, 0-9, _: what a word is made of in ASCII text (the ASCII part of `words`, and regex `\b`). */
function isWordCode(c: number): boolean {
	return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 95;
}

function isAscii(text: string): boolean {
	return !NON_ASCII.test(text);
}

function escapeRegExp(text: string): string {
	return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Every rule's keywords in one structure, built once per policy. Spaced scripts match whole words and
 * phrases through a first-word index, so a text is tokenized once and each word costs one map lookup
 * however many rules and keywords there are. Keywords in scripts written without spaces (Chinese,
 * Japanese, Thai…) have no word boundaries to honour and match as substrings of the folded text.
 */
export class KeywordMatcher {
	private readonly byFirstWord = new Map<string, Phrase[]>();
	/**
	 * Every ASCII first word in one case-insensitive, whole-word regular expression: the regex engine's native
	 * scan finds candidate words far faster than a character loop in JavaScript, and only candidates are
	 * checked against their phrases.
	 */
	private readonly firstWords: RegExp | null;
	private readonly substrings: Array<{ text: string; keyword: number }> = [];
	private readonly owners: number[] = [];
	private readonly terms: string[] = [];
	private readonly stamp: Uint32Array;
	private pass = 0;

	constructor(keywordsByRule: string[][]) {
		const seen = new Map<string, number>();
		keywordsByRule.forEach((list, rule) => {
			for (const term of list) {
				const folded = foldText(term).trim();
				const key = `${rule}\u0000${folded}`;
				if (folded === '' || seen.has(key)) continue;
				const keyword = this.terms.length;
				seen.set(key, keyword);
				this.terms.push(term);
				this.owners.push(rule);
				if (UNSPACED_SCRIPT.test(folded)) {
					this.substrings.push({ text: folded, keyword });
					continue;
				}
				const [first, ...rest] = words(folded);
				if (first === undefined) continue;
				const phrase: Phrase = { rest, keyword };
				push(this.byFirstWord, first, phrase);
			}
		});
		this.stamp = new Uint32Array(this.terms.length);
		// Phrases with a non-ASCII word can never occur in ASCII text: the fast path need not know them.
		const ascii = [...this.byFirstWord.keys()].filter(isAscii).sort((a, b) => b.length - a.length);
		this.firstWords = ascii.length ? new RegExp(`\\b(?:${ascii.map(escapeRegExp).join('|')})\\b`, 'gi') : null;
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
		else this.scanUnicode(text);
	}

	/**
	 * The common case, plain ASCII: the first-word regex finds candidates in place (no folding, no word
	 * list); each candidate's phrases are checked word by word after it.
	 */
	private scanAscii(text: string) {
		const regex = this.firstWords;
		if (regex === null) return;
		regex.lastIndex = 0;
		let m: RegExpExecArray | null;
		while ((m = regex.exec(text)) !== null) {
			const first = m[0];
			const phrases = this.byFirstWord.get(first.toLowerCase());
			if (phrases === undefined) continue;
			const end = m.index + first.length;
			for (const phrase of phrases) if (restFollows(text, end, phrase.rest)) this.report(phrase.keyword);
		}
	}

	/** Any other text: fold (NFKD, marks and case), split into words, look each up. */
	private scanUnicode(raw: string) {
		const folded = foldText(raw);
		// Latin text with accents folds to ASCII: back to the fast path.
		if (isAscii(folded)) {
			this.scanAscii(folded);
			return;
		}
		if (this.byFirstWord.size > 0) {
			const tokens = words(folded);
			for (let i = 0; i < tokens.length; i++) {
				const phrases = this.byFirstWord.get(tokens[i]);
				if (phrases === undefined) continue;
				for (const phrase of phrases) {
					let ok = true;
					for (let k = 0; k < phrase.rest.length; k++) {
						if (tokens[i + 1 + k] !== phrase.rest[k]) {
							ok = false;
							break;
						}
					}
					if (ok) this.report(phrase.keyword);
				}
			}
		}
		for (const s of this.substrings) if (folded.includes(s.text)) this.report(s.keyword);
	}
}

const NO_HITS: KeywordHits = new Map();

function push<K>(map: Map<K, Phrase[]>, key: K, phrase: Phrase) {
	const list = map.get(key);
	if (list) list.push(phrase);
	else map.set(key, [phrase]);
}

/** Does `word` (folded, lower-case) sit at `start` in ASCII text, ignoring case? */
function sameWord(text: string, start: number, word: string): boolean {
	for (let k = 0; k < word.length; k++) {
		let c = text.charCodeAt(start + k);
		if (c >= 65 && c <= 90) c += 32;
		if (c !== word.charCodeAt(k)) return false;
	}
	return true;
}

/** After a phrase's first word ending at `pos`: each next word follows after at least one separator, whole. */
function restFollows(text: string, pos: number, rest: string[]): boolean {
	for (const word of rest) {
		let i = pos;
		while (i < text.length && !isWordCode(text.charCodeAt(i))) i++;
		if (i === pos || i + word.length > text.length || !sameWord(text, i, word)) return false;
		pos = i + word.length;
		if (pos < text.length && isWordCode(text.charCodeAt(pos))) return false;
	}
	return true;
}
