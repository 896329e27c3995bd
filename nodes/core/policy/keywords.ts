import { foldText, UNSPACED_SCRIPT, words } from '../ticket/text';

/** What one text matched: per rule index, the keywords (as written in the policy) found in it. */
export type KeywordHits = Map<number, string[]>;

interface Phrase {
	/** Words after the first one. */
	rest: string[];
	keyword: number;
}

/**
 * Every rule's keywords in one structure, built once per policy. Spaced scripts match whole words and
 * phrases through a first-word index, so a text is tokenized once and each word costs one map lookup
 * however many rules and keywords there are. Keywords in scripts written without spaces (Chinese,
 * Japanese, Thai…) have no word boundaries to honour and match as substrings of the folded text.
 */
export class KeywordMatcher {
	private readonly byFirstWord = new Map<string, Phrase[]>();
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
				const phrases = this.byFirstWord.get(first);
				if (phrases) phrases.push({ rest, keyword });
				else this.byFirstWord.set(first, [{ rest, keyword }]);
			}
		});
		this.stamp = new Uint32Array(this.terms.length);
	}

	get size(): number {
		return this.terms.length;
	}

	/** Keywords found in the given texts (e.g. subject and body), grouped by rule. */
	match(...texts: string[]): KeywordHits {
		const hits: KeywordHits = new Map();
		if (this.terms.length === 0) return hits;
		// A fresh stamp per call marks keywords already reported without clearing an array.
		if (++this.pass === 0xffffffff) {
			this.stamp.fill(0);
			this.pass = 1;
		}
		const pass = this.pass;
		const report = (keyword: number) => {
			if (this.stamp[keyword] === pass) return;
			this.stamp[keyword] = pass;
			const rule = this.owners[keyword];
			const list = hits.get(rule);
			if (list) list.push(this.terms[keyword]);
			else hits.set(rule, [this.terms[keyword]]);
		};
		for (const raw of texts) {
			if (raw === '') continue;
			const folded = foldText(raw);
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
						if (ok) report(phrase.keyword);
					}
				}
			}
			for (const s of this.substrings) if (folded.includes(s.text)) report(s.keyword);
		}
		return hits;
	}
}
