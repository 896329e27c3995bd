import { card } from './card';
import type { Detector } from './detector';
import { email } from './email';
import { frNir } from './fr-nir';
import { iban } from './iban';
import { obfuscatedEmail } from './obfuscated-email';
import { phone } from './phone';
import { ukNino } from './uk-nino';
import { usSsn } from './us-ssn';

/**
 * Every built-in class, in priority order: where two findings overlap, the merged span is counted as the first
 * class listed (an IBAN holds digit runs a phone reader would also take). To add a class, add its detector here.
 */
export const DETECTORS: readonly Detector[] = [email, iban, card, frNir, usSsn, ukNino, phone, obfuscatedEmail];

export const DETECTOR_KINDS: readonly string[] = DETECTORS.map((d) => d.kind);
/** What runs when the node's Detect option is left alone. */
export const DEFAULT_KINDS: readonly string[] = DETECTORS.filter((d) => !d.optIn).map((d) => d.kind);

export function detectorsFor(kinds: readonly string[]): Detector[] {
	const unknown = kinds.filter((k) => !DETECTOR_KINDS.includes(k));
	if (unknown.length) throw new RangeError(`Unknown redaction class ${unknown.map((k) => `"${k}"`).join(', ')}; known: ${DETECTOR_KINDS.join(', ')}`);
	return DETECTORS.filter((d) => kinds.includes(d.kind));
}
