import type { CompiledPolicy } from '../policy/compile';
import { KNOWN_PRIORITIES } from '../ticket/priority';
import { lowerCased } from '../ticket/text';

/**
 * The labels a ledger row stores (topic, channel, priority, language): never free text from the ticket. A ticket's
 * label is kept only when it is in the policy's own vocabulary (the values its rules and SLA name) or in a small,
 * bounded vocabulary of this package (common channels and priorities, ISO 639 language codes with an optional
 * region); anything else is stored as `other`. A missing label stays null. A category that carries an e-mail
 * address, a channel that is a customer's name, a 200-character priority: all `other`.
 */
export const OTHER_LABEL = 'other';

export const KNOWN_CHANNELS: readonly string[] = [
	'email', 'phone', 'voice', 'chat', 'web', 'webform', 'form', 'portal', 'api', 'sms', 'whatsapp', 'messenger',
	'facebook', 'twitter', 'x', 'instagram', 'social', 'mobile', 'app', 'in-app', 'community', 'forum', 'walk-in', 'mail',
];

export interface LedgerLabels {
	topic(value: string | null): string | null;
	channel(value: string | null): string | null;
	priority(value: string | null): string | null;
	language(value: string | null): string | null;
}

const cache = new WeakMap<CompiledPolicy, LedgerLabels>();

/** The label filter of a policy, built once per compiled policy. */
export function ledgerLabels(policy: CompiledPolicy): LedgerLabels {
	let labels = cache.get(policy);
	if (!labels) {
		labels = buildLabels(policy);
		cache.set(policy, labels);
	}
	return labels;
}

function buildLabels(policy: CompiledPolicy): LedgerLabels {
	const named = (key: 'categories' | 'channels' | 'priorities' | 'languages') =>
		policy.policy.rules.flatMap((rule) => rule.when[key] ?? []).map((v) => v.trim().toLowerCase());
	const topics = new Set(named('categories'));
	const channels = new Set([...named('channels'), ...KNOWN_CHANNELS]);
	const priorities = new Set([...named('priorities'), ...KNOWN_PRIORITIES, ...Object.keys(policy.policy.sla?.targetMinutes ?? {}).map((k) => k.trim().toLowerCase())]);
	const languages = new Set(named('languages'));
	const within = (vocabulary: ReadonlySet<string>) => (value: string | null) => {
		if (value === null) return null;
		const label = lowerCased(value.trim());
		return vocabulary.has(label) ? label : OTHER_LABEL;
	};
	return {
		topic: within(topics),
		channel: within(channels),
		priority: within(priorities),
		language: (value) => {
			if (value === null) return null;
			const label = lowerCased(value.trim());
			return languages.has(label) || isLanguageTag(label) ? label : OTHER_LABEL;
		},
	};
}

// ISO 639-1/2 code, optionally a region (ISO 3166-1 alpha-2 or UN M.49) or a script: en, fr-ca, pt_br, zh-hant.
const LANGUAGE_TAG = /^([a-z]{2,3})(?:[-_](?:[a-z]{2}|\d{3}|[a-z]{4}))?$/;
const languageNames = new Intl.DisplayNames(['en'], { type: 'language', fallback: 'none' });

/**
 * Whether each language code (the two or three letters before a region) is a real one, asked of ICU once per code:
 * `Intl.DisplayNames.of` costs microseconds, which 10,000 rows a batch would pay again and again for the same few
 * codes. At most 26² + 26³ codes can be asked, so the memo stays bounded.
 */
const knownCodes = new Map<string, boolean>();

function isLanguageTag(label: string): boolean {
	// test, not exec: no match array per row (a batch asks this of every row whose language the policy does not name).
	if (!LANGUAGE_TAG.test(label)) return false;
	// The code is the 2 or 3 letters before an optional - or _ (the tag matched).
	const code = label.length > 3 && (label[2] === '-' || label[2] === '_') ? label.slice(0, 2) : label.slice(0, 3);
	let known = knownCodes.get(code);
	if (known === undefined) {
		known = isLanguageCode(code);
		knownCodes.set(code, known);
	}
	return known;
}

/** A real language code, not any two or three letters ("bob", "xyz"): the ICU data every Node build ships with. */
function isLanguageCode(code: string): boolean {
	try {
		return languageNames.of(code) !== undefined;
	} catch {
		return false;
	}
}
