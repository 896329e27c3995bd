/**
 * Arabic and Hebrew write the article and some one-letter prepositions and conjunctions joined to the next word:
 * الاسترداد is "the refund" (ال + استرداد), והחזר "and a refund" (ו + החזר), להחזר "for a refund". A keyword
 * written as the bare word must still be found, as their users expect from any search box.
 */
const ARABIC = ['وال', 'بال', 'كال', 'فال', 'ال', 'لل', 'و'];
/** Hebrew's prefix letters (the mnemonic "משה וכלב"), which stack: ו + ש + ה… */
const HEBREW = 'משהוכלב';
/** A remainder shorter than this is more likely a word that merely starts with a prefix letter. */
const MIN_REST = 2;

/** Lengths of the clitic prefixes a folded word may start with, shortest first; empty for most words. */
export function cliticPrefixes(word: string): number[] {
	const first = word.charCodeAt(0);
	const out: number[] = [];
	if (first >= 0x620 && first <= 0x64a) {
		for (const prefix of ARABIC) {
			if (word.length - prefix.length >= MIN_REST && word.startsWith(prefix) && !out.includes(prefix.length)) out.push(prefix.length);
		}
		return out.sort((a, b) => a - b);
	}
	if (first >= 0x5d0 && first <= 0x5ea) {
		for (let n = 1; n <= 3 && word.length - n >= MIN_REST && HEBREW.includes(word[n - 1]); n++) out.push(n);
	}
	return out;
}
