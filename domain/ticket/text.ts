const ASCII = /^\p{ASCII}*$/u;
const MARKS = /\p{M}+/gu;
const WORD = /[\p{L}\p{N}_]+/gu;
const ASCII_WORD = /[a-z0-9_]+/g;

/**
 * Scripts written without spaces between words: a keyword in them can only be found as a substring.
 * Han, Hiragana, Katakana, Thai, Lao, Khmer, Myanmar, Tibetan.
 */
export const UNSPACED_SCRIPT = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Thai}\p{Script=Lao}\p{Script=Khmer}\p{Script=Myanmar}\p{Script=Tibetan}]/u;

/**
 * Case- and accent-insensitive form of a text: "Rückerstattung" and "ruckerstattung" fold alike, so do
 * "Ｒｅｆｕｎｄ" and "refund" (NFKD). Pure ASCII, the common case, skips Unicode normalisation entirely.
 */
export function foldText(text: string): string {
	if (ASCII.test(text)) return text.toLowerCase();
	// Only the non-ASCII runs need decomposing: most European text is a few accented letters in ASCII.
	return text.replace(NON_ASCII_RUN, foldRun).toLowerCase();
}

const NON_ASCII_RUN = /[\u0080-\uffff]+/g;

function foldRun(run: string): string {
	return run.normalize('NFKD').replace(MARKS, '').replace(/ß/g, 'ss');
}

/** Words of an already folded text, in order: runs of letters, digits and underscores (`api_key` is one word). */
export function words(folded: string): string[] {
	return folded.match(ASCII.test(folded) ? ASCII_WORD : WORD) ?? [];
}
