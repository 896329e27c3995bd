import { matchesOf, type Detector, type Found } from './detector';

/**
 * UK National Insurance number (HMRC NIM39110): two prefix letters — the first not D, F, I, Q, U or V, the second not
 * D, F, I, O, Q, U or V, and not BG, GB, KN, NK, NT, TN or ZZ — six digits, and the suffix A, B, C or D. Any case,
 * spaces between the pairs allowed ("QQ 12 34 56 C"). Opt-in.
 */
const NINO = /(?<![A-Za-z0-9])([A-CEGHJ-PR-TW-Z])([A-CEGHJ-NPR-TW-Z]) ?(\d{2}) ?(\d{2}) ?(\d{2}) ?([A-D])(?![A-Za-z0-9])/gi;
const NOT_ALLOCATED = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

export const ukNino: Detector = {
	kind: 'uk_nino',
	label: 'NINO',
	optIn: true,
	readsDigits: true,
	find(text) {
		const found: Found[] = [];
		for (const m of matchesOf(NINO, text)) {
			const prefix = (m[1] + m[2]).toUpperCase();
			if (NOT_ALLOCATED.has(prefix)) continue;
			found.push({ start: m.index, end: m.index + m[0].length, key: (prefix + m[3] + m[4] + m[5] + m[6]).toUpperCase() });
		}
		return found;
	},
};
