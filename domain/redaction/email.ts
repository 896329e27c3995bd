/**
 * E-mail addresses, found from their '@' outwards rather than by a pattern tried at every position:
 * most ticket text has no '@' at all, and where it has one this costs a few character checks.
 * Quotes, brackets, whitespace and list punctuation end an address, so "a@b.co" and <a@b.co> both work;
 * any other character (including unicode letters) may be part of it.
 */
const STOP = new Set([...' \t\n\r\f\v"\'<>()[]{},;:\\@', '\u00a0', '«', '»', '“', '”', '‘', '’']);

const isAddressChar = (c: string) => !STOP.has(c) && c.trim() !== '';

export function replaceEmails(text: string, token: (key: string) => string): string {
	let at = text.indexOf('@');
	if (at === -1) return text;
	let out = '';
	let cursor = 0;
	while (at !== -1) {
		let start = at;
		while (start > cursor && isAddressChar(text[start - 1])) start--;
		let end = at + 1;
		while (end < text.length && isAddressChar(text[end])) end++;
		const domainEnd = at + 1 + domainLength(text.slice(at + 1, end));
		if (start < at && domainEnd > at + 1) {
			out += text.slice(cursor, start) + token(text.slice(start, domainEnd).toLowerCase());
			cursor = domainEnd;
		}
		at = text.indexOf('@', Math.max(at + 1, cursor));
	}
	return out + text.slice(cursor);
}

/** Length of the leading `label(.label)+` of a candidate domain; 0 when there is none (no dot, "a..b"). */
function domainLength(candidate: string): number {
	const labels = candidate.split('.');
	let length = 0;
	let count = 0;
	for (const label of labels) {
		if (!label) break;
		length += (count ? 1 : 0) + label.length;
		count++;
	}
	return count >= 2 ? length : 0;
}
