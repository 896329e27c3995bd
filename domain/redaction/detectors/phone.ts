import { Metadata } from 'libphonenumber-js/core';
import { findNumbers, isSupportedCountry, type CountryCode, type NumberFound } from 'libphonenumber-js/max';
import metadataJson from 'libphonenumber-js/max/metadata';

import { HexTokens, inUpsNumber, isLetter } from './codes';
import type { DetectionContext, Detector, Found } from './detector';
import { digitRunsOf } from '../digit-runs';

/** The national formats read when neither the node nor the ticket names a region. */
export const DEFAULT_PHONE_REGIONS: readonly string[] = ['US', 'GB', 'FR', 'DE'];

/**
 * Phone numbers, found and checked by libphonenumber-js (Google's libphonenumber metadata, "max" set):
 * international `+CC` and `00`/`011` forms in any region, national forms (`06 12 34 56 78`, `(212) 555-0147`,
 * `030/12345678`) for each region in the context. A number must be valid for its region (number plan and length),
 * or possible (right length) and written with a `+`, an international prefix or a national trunk `0`:
 * `07700 900123` is an Ofcom drama number, reserved and so not "valid", but written exactly like a mobile.
 *
 * libphonenumber scans a text with a large pattern; it is run only on the runs of phone characters holding seven
 * digits or more, so prose costs one cheap scan. Runs that belong to an identifier are not read at all (see
 * `insideCode`): digits glued to letters on both sides, inside a UUID or a hash, inside a UPS tracking number.
 */
// Digits with at most one separator (space, dot, slash, dash) between two of them, brackets around a group: " / "
// or ", " between two numbers ends a run, so a list of numbers is read number by number.
const RUN = /\+?\(?\d(?:\)?[ ./-]?\(?\d|\))*/g;
const MIN_DIGITS = 7;
// A calendar date and nothing else (2024-03-15, 15.03.2024, 03/15/2024): never read as a phone number.
const DATE = /^(?:\d{4}([-./])(?:0?[1-9]|1[0-2])\1(?:0?[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])([-./])(?:0?[1-9]|[12]\d|3[01])\2(?:19|20)\d\d)$/;
// A run starting with a calendar date written with slashes, followed by anything but another group of it.
const SLASHED_DATE = /^(?:\d{1,2}\/\d{1,2}\/(?:\d{4}|\d{2})|\d{4}\/\d{1,2}\/\d{1,2})(?![\d/])/;
// E.164 allows 15 digits; with an international prefix and an extension a run may be longer, never much.
const MAX_RUN = 40;
// Consecutive slices of a longer run overlap by more than any number is long, so none is cut in two.
const OVERLAP = 28;

export const phone: Detector = {
	kind: 'phone',
	label: 'PHONE',
	optIn: false,
	readsDigits: true,
	find(text, context) {
		const found: Found[] = [];
		const hex = new HexTokens(text);
		for (const m of longRuns(text)) {
			const run = m[0];
			if (DATE.test(run) || insideCode(text, m.index, m.index + run.length, hex)) continue;
			// After an IBAN's country code ("DE89 3704 0044 …", valid or not) a run is read whole, never in parts.
			const whole = /^\d\d(?!\d)/.test(run) && /[A-Za-z]{2}$/.test(text.slice(Math.max(0, m.index - 2), m.index));
			for (let offset = 0; offset < run.length; offset += MAX_RUN) {
				readCached(run.slice(offset, offset + MAX_RUN + OVERLAP), m.index + offset, context, found, whole);
			}
		}
		return found;
	},
};

/**
 * The RUN matches of MIN_DIGITS digits or more, as a scan of the whole text with RUN finds them, in text order: prose
 * holds dozens of short numbers (a version, a price, a date's parts) per ticket, not matched one by one. The text's
 * runs of digits (see digit-runs.ts) are chained the way RUN joins digits (closing brackets, one separator, an
 * opening bracket); at a chain of MIN_DIGITS digits or more RUN resumes two characters before its first digit (room
 * for a `+(` prefix), and the match holding that digit is the one the full scan finds: no earlier digit joins that
 * first one, else it would be in the chain.
 */
export function* longRuns(text: string): Generator<RegExpExecArray> {
	const { starts, ends } = digitRunsOf(text);
	RUN.lastIndex = 0;
	for (let first = 0; first < starts.length; ) {
		let last = first;
		let digits = ends[first] - starts[first];
		for (; last + 1 < starts.length && joined(text, ends[last], starts[last + 1]); last++) digits += ends[last + 1] - starts[last + 1];
		const digit = starts[first];
		first = last + 1;
		if (digits < MIN_DIGITS) continue;
		RUN.lastIndex = Math.max(RUN.lastIndex, digit - 2);
		// What RUN matches before the chain's first digit is a short run's tail, or a short run: not yielded.
		let m = RUN.exec(text);
		while (m && m.index + m[0].length <= digit) m = RUN.exec(text);
		// Never null: RUN matches the chain's first digit itself. Checked so that a reset lastIndex cannot loop.
		if (!m) return;
		yield m;
	}
}

/** Whether text[from, to), between two runs of digits, is what RUN reads between two digits: `)`s, one of ` ./-`, `(`. */
function joined(text: string, from: number, to: number): boolean {
	let k = from;
	// Prose between two numbers is words: only `)`s make a gap of more than three characters joinable.
	if (to - from > 3 && text.charCodeAt(from) !== 41 /* ) */) return false;
	while (k < to && text.charCodeAt(k) === 41 /* ) */) k++;
	if (k < to && isRunSeparator(text.charCodeAt(k))) k++;
	if (k < to && text.charCodeAt(k) === 40 /* ( */) k++;
	return k === to;
}
const isRunSeparator = (c: number) => c === 32 || c === 46 || c === 47 || c === 45;

/**
 * Whether a run of digits belongs to an identifier rather than standing as a number of its own: glued to letters
 * on both sides (`AX0612345678B`; one side is not enough, `Tel0612345678`, and a run starting with `+` is always
 * read), inside a hex token (UUID, ObjectId, digest) or a UPS tracking number (see codes.ts).
 */
function insideCode(text: string, start: number, end: number, hex: HexTokens): boolean {
	if (text[start] !== '+' && isLetter(text[start - 1]) && isLetter(text[end])) return true;
	return hex.covers(start, end) || inUpsNumber(text, start, end);
}

/**
 * What a run reads as, remembered: the same numbers come back ticket after ticket (a company's number in every
 * signature, a customer writing again) and libphonenumber costs tens of microseconds per region and try. Bounded:
 * a run is at most MAX_RUN + OVERLAP characters, and the table is emptied when it reaches CACHE_SIZE entries.
 */
const cache = new Map<string, ReadonlyArray<{ from: number; to: number; key: string }>>();
const CACHE_SIZE = 5_000;

function readCached(run: string, base: number, context: DetectionContext, found: Found[], whole: boolean) {
	const key = `${whole ? 'w' : 'p'}|${context.ownRegion ?? ''}|${context.phoneRegions.join(',')}|${run}`;
	let hits = cache.get(key);
	if (!hits) {
		const local: Found[] = [];
		findInRun(run, 0, context, local, whole ? 0 : 2);
		hits = local.map((f) => ({ from: f.start, to: f.end, key: f.key }));
		if (cache.size >= CACHE_SIZE) cache.clear();
		cache.set(key, hits);
	}
	for (const h of hits) found.push({ start: base + h.from, end: base + h.to, key: h.key });
}

/** Adds the numbers libphonenumber finds in a run for the context's regions; whether there was any. */
function findIn(run: string, base: number, context: DetectionContext, found: Found[]): boolean {
	const before = found.length;
	readRun(run, base, context, found);
	// libphonenumber takes one "/" in a number (030/12345678) but not one between every group (06/12/34/56/78,
	// +44/20/7946/0958): such a run is read again with spaces, every character where it was. Not one that starts
	// with a date ("03/15/2024 10:30"), which the spaces would turn into groups of a number.
	if (found.length === before && run.includes('/') && !SLASHED_DATE.test(run)) readRun(run.replaceAll('/', ' '), base, context, found);
	return found.length > before;
}

function readRun(run: string, base: number, context: DetectionContext, found: Found[]) {
	const regions = context.phoneRegions;
	// An international number reads the same in every region: one pass is enough.
	const international = run[0] === '+';
	for (const region of international ? regions.slice(0, 1) : regions) {
		const options = { defaultCountry: region as CountryCode, v2: true as const, leniency: 'POSSIBLE' };
		let whole = false;
		for (const n of findNumbers(run, options as { defaultCountry: CountryCode; v2: true })) {
			if (!accepted(n, run, region, region === context.ownRegion)) continue;
			found.push({ start: base + n.startsAt, end: base + n.endsAt, key: n.number.number });
			whole ||= !/\d/.test(run.slice(0, n.startsAt)) && !/\d/.test(run.slice(n.endsAt));
		}
		// The whole run is one number: no other region can find more in it.
		if (whole) break;
	}
	if (international && regions.length === 0) {
		for (const n of findNumbers(run, { v2: true })) found.push({ start: base + n.startsAt, end: base + n.endsAt, key: n.number.number });
	}
}

/**
 * A number next to another group of digits, separated by a space ("qty 2 06 12 34 56 78", "+41 44 668 18 00 0",
 * "(212) 555-0147 4111-1111-…") makes the whole run no number, or one number and a leftover: what the whole run
 * does not explain is read again without its first or last group, or from a later group that starts like a number
 * (`+`, `(`, `0`). Bounded: `depth` levels, at most MAX_WINDOWS tries per run.
 */
function findInRun(run: string, base: number, context: DetectionContext, found: Found[], depth: number) {
	if (digitCount(run) < MIN_DIGITS) return;
	const before = found.length;
	findIn(run, base, context, found);
	if (depth === 0) return;
	if (found.length === before) return findInWindows(run, base, context, found, depth - 1);
	// The parts of the run no number took.
	let cursor = 0;
	const taken = found.slice(before).sort((a, b) => a.start - b.start);
	for (const f of taken) {
		if (f.start - base > cursor) findInRun(run.slice(cursor, f.start - base), base + cursor, context, found, depth - 1);
		cursor = Math.max(cursor, f.end - base);
	}
	if (cursor < run.length) findInRun(run.slice(cursor), base + cursor, context, found, depth - 1);
}

function findInWindows(run: string, base: number, context: DetectionContext, found: Found[], depth: number) {
	const groups = [...run.matchAll(/\S+/g)].map((g) => ({ start: g.index, end: g.index + g[0].length }));
	if (groups.length < 2) return;
	// Without the first group, without the last, and from each later group that starts like a number (+, (, 0).
	const windows: Array<[number, number]> = [
		[1, groups.length - 1],
		[0, groups.length - 2],
		...groups.flatMap((g, i) => (i > 1 && /[+(0]/.test(run[g.start]) ? [[i, groups.length - 1] as [number, number]] : [])),
	];
	for (const [i, j] of windows.slice(0, MAX_WINDOWS)) {
		const window = run.slice(groups[i].start, groups[j].end);
		if (digitCount(window) > 17) continue;
		const before = found.length;
		findInRun(window, base + groups[i].start, context, found, depth);
		if (found.length > before) return;
	}
}
const MAX_WINDOWS = 6;

/**
 * How a number must be written to count, beyond libphonenumber's own check:
 * - `+CC…`: possible (right length) for the country code;
 * - `00CC…`, `011CC…`: valid, or possible with a national number that does not start with 0 (digits after 00 may
 *   just continue a longer run, such as an IBAN's groups);
 * - national, valid: as the region writes it — with the trunk prefix where the region has one (`030 12345678`, not
 *   `2024-03-15` read as a Wuppertal number, nor `16435170` as a German pager); in the customer's own region a
 *   mobile may also go without it (`98765 43210` in India); in North America grouped 3-3-4 (`212 555 0147`, not
 *   `2024-000123`). The trunk prefix is the region's own (libphonenumber's metadata), not what `formatNational`
 *   prints: that leaves the `0` off some ranges (German pagers 0164/0168/0169), which made any 7–14 digits
 *   starting 164, 168 or 169 a phone;
 * - national, with its trunk `0`, possible but not valid, and the whole run of digits (not the tail of an IBAN's or
 *   a tracking number's groups): reserved ranges such as UK drama numbers (`07700 900123`).
 */
function accepted(n: NumberFound, run: string, region: string, ownRegion: boolean): boolean {
	const raw = run.slice(n.startsAt, n.endsAt);
	const digits = raw.replace(/\D/g, '');
	const number = n.number;
	if (raw[0] === '+') return number.isPossible();
	const idd = /^(?:00|011)(?=[1-9])/.exec(digits);
	if (idd && digits.startsWith(number.countryCallingCode, idd[0].length)) return number.isValid() || (number.isPossible() && digits[idd[0].length + number.countryCallingCode.length] !== '0');
	if (!number.isValid()) return /^0[1-9]/.test(digits) && number.isPossible() && standsAlone(run, n);
	if (number.countryCallingCode === '1') return NANP_GROUPS.test(raw.replace(/[^\d]+/g, ' ').trim());
	const trunk = trunkPrefix(region);
	// Written with the trunk: the prefix, then (after a carrier code, in some regions) the national number.
	const withTrunk = trunk !== '' && digits.startsWith(trunk) && digits.includes(number.nationalNumber, trunk.length);
	return trunk === '' || withTrunk || (ownRegion && number.getType() === 'MOBILE');
}

/** A region's national (trunk) prefix: `0` in most of Europe, `8` in Russia, `06` in Hungary, none in Italy or Spain. */
function trunkPrefix(region: string): string {
	let prefix = trunkPrefixes.get(region);
	if (prefix === undefined) {
		// From /core with the max metadata (the file /max reads): /max's CommonJS build has no Metadata export.
		const metadata = new Metadata(metadataJson);
		metadata.selectNumberingPlan(region as CountryCode);
		// nationalPrefix() is there at run time; libphonenumber-js's typings leave it out of NumberingPlan.
		prefix = (metadata.numberingPlan as unknown as { nationalPrefix(): string | undefined } | undefined)?.nationalPrefix() ?? '';
		trunkPrefixes.set(region, prefix);
	}
	return prefix;
}
const trunkPrefixes = new Map<string, string>();

function standsAlone(run: string, n: NumberFound): boolean {
	return !/\d/.test(run.slice(0, n.startsAt)) && !/\d/.test(run.slice(n.endsAt));
}

// North American numbers: 10 digits, or 3-3-4 with an optional leading 1.
const NANP_GROUPS = /^(?:1 ?)?(?:\d{10}|\d{3} \d{3} \d{4})$/;

function digitCount(s: string): number {
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		const c = s.charCodeAt(i);
		if (c >= 48 && c <= 57) n++;
	}
	return n;
}

/** The regions a ticket's numbers are read in: the configured ones, plus the ticket's own when it names a country. */
export function phoneRegionsFor(defaults: readonly string[], ticketRegion: string | null | undefined): string[] {
	const regions = defaults.map((r) => r.toUpperCase()).filter((r) => isSupportedCountry(r));
	const own = ticketRegion?.trim().toUpperCase();
	// The customer's own region first: its reading of a number is the likeliest.
	return own && isSupportedCountry(own) ? [own, ...regions.filter((r) => r !== own)] : regions;
}

/** Whether a region code is one libphonenumber knows (for validating the node's setting). */
export function isPhoneRegion(region: string): boolean {
	return isSupportedCountry(region.toUpperCase());
}
