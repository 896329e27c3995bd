import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

import { vendorBody } from '../../domain/handoff/body';
import { DEFAULT_INTERNAL_NOTE_KEYS } from '../../domain/handoff/payload';
import { DETECTOR_KINDS } from '../../domain/redaction/detectors/registry';
import { Redactor } from '../../domain/redaction/redact';
import { requestHeaders } from '../../vendor-boundary/transport';
import { idempotencyKey } from '../../vendor-boundary/signing';
import { delegationFor } from '../unit/handoff/fixtures';
import { asciiDigits, CORPUS, identity, leaks, squash, type CorpusValue } from './corpus';

/**
 * Generated tickets (any JSON, nested objects and arrays) with corpus values put at random places — a whole string,
 * inside a string, an object key, a JSON number, deep in nested arrays, the ticket id — and the bytes a vendor would
 * receive (the body and every header) must hold none of them.
 */
const redactor = new Redactor({ kinds: DETECTOR_KINDS });
const notes = { keys: DEFAULT_INTERNAL_NOTE_KEYS, dropPrivateEntries: true };
const endpoint = { baseUrl: 'http://vendor.test', method: 'POST' as const, path: '/t', headers: { Authorization: 'Bearer t' }, signingSecret: 's', referenceField: 'id', credentialValues: ['t'] };

type Place = 'string' | 'inside' | 'key' | 'number' | 'nested' | 'id';
interface Insertion {
	value: CorpusValue;
	place: Place;
	/** Choices made while walking down to the place. */
	path: number[];
	separator: string;
}

const key = fc.stringMatching(/^[a-z_]{1,8}$/);
const ticketArb = fc.dictionary(key, fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 });
/**
 * A value wrapped over lines, tabbed or double-spaced is read whole among prose (the disguise properties below); right
 * next to another number the view cannot tell it from two values on two lines, and keeps its parts apart. The
 * placements here put values next to anything, generated numbers included, so these stay out.
 */
const PLACEABLE = CORPUS.filter((v) => !/[\t\n\r]| {2}|<br>/.test(v.value));
const insertionArb: fc.Arbitrary<Insertion> = fc.record({
	value: fc.constantFrom(...PLACEABLE),
	place: fc.constantFrom<Place>('string', 'inside', 'key', 'number', 'nested', 'id'),
	path: fc.array(fc.nat(), { minLength: 1, maxLength: 4 }),
	separator: fc.constantFrom(' ', '\n', ', ', ' | ', '\t', ': '),
});

/** Puts a value somewhere inside `node`, following `path` through objects and arrays; returns the new node. */
function insert(node: unknown, path: number[], put: (at: unknown) => unknown): unknown {
	if (path.length === 0) return put(node);
	const [choice, ...rest] = path;
	if (Array.isArray(node) && node.length) {
		const i = choice % node.length;
		return node.map((v, j) => (j === i ? insert(v, rest, put) : v));
	}
	if (node && typeof node === 'object' && Object.keys(node).length) {
		const keys = Object.keys(node);
		const k = keys[choice % keys.length];
		return { ...(node as object), [k]: insert((node as Record<string, unknown>)[k], rest, put) };
	}
	return put(node);
}

/**
 * Puts one value into the ticket: down a random path through the generated JSON (the path's first choice picks a
 * top-level field), then as the place says. A string that already holds an inserted value gets the new one appended,
 * never put inside the earlier one.
 */
function place(ticket: Record<string, unknown>, ins: Insertion, inserted: string[]): Record<string, unknown> {
	const v = ins.value.value;
	const keys = Object.keys(ticket);
	const field = keys.length ? keys[ins.path[0] % keys.length] : 'text';
	const down = (put: (at: unknown) => unknown) => ({ ...ticket, [field]: insert(ticket[field] ?? '', ins.path.slice(1), put) });
	inserted.push(v);
	switch (ins.place) {
		case 'string':
			return down((at) => [at, v]);
		case 'inside':
			return down((at) => {
				const s = typeof at === 'string' ? at : JSON.stringify(at) ?? '';
				const i = inserted.some((earlier) => earlier !== v && s.includes(earlier)) ? s.length : ins.path[0] % (s.length + 1);
				return s.slice(0, i) + ins.separator + v + ins.separator + s.slice(i);
			});
		case 'key':
			return down((at) => ({ [v]: at ?? true }));
		case 'number': {
			const digits = v.replace(/\D/g, '');
			const asNumber = /^[1-9]\d{6,15}$/.test(v) && Number.isSafeInteger(Number(digits)) ? Number(digits) : v;
			return down((at) => [asNumber, at]);
		}
		case 'nested':
			return down((at) => [[{ note: [v] }], at]);
		case 'id':
			return { ...ticket, id: v };
	}
}


describe('no detected value reaches the vendor, wherever it sits in the ticket', () => {
	it('holds for generated tickets with 1–4 corpus values at random places', () => {
		fc.assert(
			fc.property(ticketArb, fc.array(insertionArb, { minLength: 1, maxLength: 4 }), (base, insertions) => {
				// One customer region per ticket: the first regional value's, the other values compatible with it.
				const region = insertions.find((i) => i.value.region)?.value.region;
				const kept = insertions.filter((i) => !i.value.region || i.value.region === region);
				let ticket: Record<string, unknown> = { ...base };
				const inserted: string[] = [];
				for (const ins of kept) ticket = place(ticket, ins, inserted);
				const ticketId = typeof ticket.id === 'string' ? ticket.id : 'T-1';
				const delegation = delegationFor(ticketId, 'acme', {
					// A decision id is the router's UUID, never derived from the ticket (the fixture's default is).
					decisionId: 'b1f0c2de-0000-4000-8000-000000000001',
					customerRegion: region ?? 'eu',
					vendorTerms: { dpa: true, dataRegions: [], allowedFields: Object.keys(ticket) },
				});
				const { body } = vendorBody(ticket, delegation, delegation.vendorTerms!.allowedFields, notes, redactor);
				const headers = requestHeaders(endpoint, body, idempotencyKey(delegation.policyScope, ticketId, 'acme', delegation.decisionId), 0);
				const bytes = body + JSON.stringify(headers);
				const digits = asciiDigits(bytes).replace(/\D/g, '');
				const letters = squash(bytes);
				for (const { value } of kept) {
					const id = identity(value);
					const haystack = /^\d+$/.test(id) ? digits : letters;
					if (haystack.includes(id)) throw new Error(`${value.format} ${JSON.stringify(value.value)} reached the vendor: ${body}`);
				}
			}),
			{ numRuns: 400, seed: 20261130 },
		);
	});
});

describe('the same holds for the default classes with the node’s defaults', () => {
	it('e-mails, phones, cards and IBANs anywhere in a generated ticket', () => {
		const defaults = new Redactor();
		const defaultValues = PLACEABLE.filter((v) => ['email', 'phone', 'card', 'iban'].includes(v.class) && !v.region);
		fc.assert(
			fc.property(ticketArb, fc.constantFrom(...defaultValues), fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), (base, value, path) => {
				const ticket = place({ ...base }, { value, place: 'inside', path, separator: ' ' }, []);
				const delegation = delegationFor('T-1', 'acme', { vendorTerms: { dpa: true, dataRegions: [], allowedFields: Object.keys(ticket) } });
				const { body } = vendorBody(ticket, delegation, delegation.vendorTerms!.allowedFields, notes, defaults);
				const id = identity(value);
				expect((/^\d+$/.test(id) ? asciiDigits(body).replace(/\D/g, '') : squash(body)).includes(id), `${value.format}: ${body}`).toBe(false);
			}),
			{ numRuns: 300, seed: 7 },
		);
	});
});

/**
 * The disguises a ticket's text puts on a value, put on the corpus's plain values at random: the value must still be
 * redacted whole, the prose around it kept (corpus.ts's leak rule: no digit of a number class left, no '@' or local
 * part of an e-mail).
 */
describe('a value is found through the disguises of its text', () => {
	const BEFORE = 'Bonjour, voici: ';
	const AFTER = ' — thanks!';
	const plainValues = CORPUS.filter((v) => !v.format.startsWith('disguised'));
	function redactsWhole(v: CorpusValue, disguised: string): void {
		const { value } = redactor.redactText(`${BEFORE}${disguised}${AFTER}`, { region: v.region });
		const kept = value.startsWith(BEFORE) && value.endsWith(AFTER);
		const left = value.slice(BEFORE.length, value.length - AFTER.length);
		if (!kept || leaks(v, left)) throw new Error(`${v.format} ${JSON.stringify(disguised)} became ${JSON.stringify(value)}`);
	}

	it('wrapped, tabbed or double-spaced between its groups', () => {
		// A line wrap where a space was (LF, CRLF, format=flowed's space before it), a tab, a double space.
		const grouped = plainValues.filter((v) => ['card', 'phone', 'iban', 'fr_nir', 'us_ssn', 'uk_nino'].includes(v.class) && v.value.includes(' '));
		// Only where a digit is beside the space: a break between two letters (`MTLC⏎AST0` in an IBAN) is not joined.
		fc.assert(
			fc.property(fc.constantFrom(...grouped), fc.array(fc.constantFrom('\n', '\r\n', ' \n', '\t', '  ', ' '), { minLength: 1, maxLength: 8 }), (v, runs) => {
				let n = 0;
				const disguised = v.value.replace(/(?<=[0-9)]) | (?=[0-9(])/g, () => runs[n++ % runs.length]);
				redactsWhole(v, disguised);
			}),
			{ numRuns: 300, seed: 20261202 },
		);
	});

	it('with invisible characters, character references or inline tags between any two of its characters', () => {
		const numbers = plainValues.filter((v) => ['card', 'phone', 'iban'].includes(v.class));
		const invisible = fc.constantFrom('&shy;', '&#xad;', '&ZeroWidthSpace;', '&NoBreak;', '&lrm;', '<wbr>', '<b></b>', '</span><span>', '\u200b', '\u200e', '\u2060');
		fc.assert(
			fc.property(fc.constantFrom(...numbers), fc.array(fc.tuple(fc.nat(), invisible), { minLength: 1, maxLength: 3 }), (v, insertions) => {
				// Between two characters of the value, from the last position to the first so none lands in another.
				const at = insertions.map(([n, what]) => [1 + (n % (v.value.length - 1)), what] as const).sort((a, b) => b[0] - a[0]);
				let disguised = v.value;
				for (const [i, what] of at) disguised = disguised.slice(0, i) + what + disguised.slice(i);
				redactsWhole(v, disguised);
			}),
			{ numRuns: 300, seed: 20261202 },
		);
	});
});
