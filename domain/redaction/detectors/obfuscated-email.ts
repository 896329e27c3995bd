import { matchesOf, type Detector, type Found } from './detector';

/**
 * E-mail addresses written to dodge harvesters: "jean dot dupont at gmail dot com", "jean.dupont [at] gmail [dot] com",
 * "jean(at)gmail(dot)com". Opt-in: prose such as "look at example dot com" reads the same way. The address must
 * use at least one spelled-out "at"/"dot" and end in a common top-level domain.
 */
const WORD = '[\\p{L}\\p{N}_%+-]+';
const DOT = '(?:\\s*(?:\\.|[\\[({<]\\s*dot\\s*[\\])}>])\\s*|\\s+dot\\s+)';
const AT = '(?:\\s*(?:@|[\\[({<]\\s*at\\s*[\\])}>])\\s*|\\s+at\\s+)';
const TLD =
	'(?:com|net|org|edu|gov|info|biz|io|co|me|eu|fr|de|uk|es|it|nl|be|ch|at|ca|us|au|in|jp|br|pt|pl|se|no|dk|fi|ie|lu|cz|ru|cn|mx|ar|za|nz|sg|hk)';
const PATTERN = new RegExp(`(?<![\\p{L}\\p{N}_%+-])${WORD}(?:${DOT}${WORD}){0,6}${AT}(?:${WORD}${DOT}){1,4}${TLD}(?![\\p{L}\\p{N}])`, 'giu');
const SPELLED = /(?:\bat\b|\bdot\b)/i;

export const obfuscatedEmail: Detector = {
	kind: 'email_obfuscated',
	label: 'EMAIL',
	optIn: true,
	find(text) {
		if (!SPELLED.test(text)) return [];
		const found: Found[] = [];
		for (const m of matchesOf(PATTERN, text)) {
			if (!SPELLED.test(m[0])) continue;
			found.push({ start: m.index, end: m.index + m[0].length, key: m[0].toLowerCase().replace(/\s+/g, ' ') });
		}
		return found;
	},
};
