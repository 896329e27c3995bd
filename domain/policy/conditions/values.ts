import { isoDateTime } from '../../ticket/instant';

/** A bound of greater/less conditions: a number, or an instant when the policy gave a date. */
export type Bound = { kind: 'number'; value: number } | { kind: 'date'; value: number };

/**
 * A condition's bound. Numbers (and numeric text) compare as numbers; dates as instants (isoDateTime, the reading
 * ticket times get too): a date or date-time with no offset is read on the policy's wall clock (`2026-12-24` is local
 * midnight), one with an offset or Z as written.
 */
export function parseBound(value: unknown, zone: string): Bound | null {
	if (typeof value === 'number') return Number.isFinite(value) ? { kind: 'number', value } : null;
	if (typeof value !== 'string') return null;
	const text = value.trim();
	const number = numeric(text);
	if (number !== null) return { kind: 'number', value: number };
	const at = isoDateTime(text, zone);
	return at === null ? null : { kind: 'date', value: at };
}

/** Text that is a plain decimal number ("0.85", "-3", "1e3"), else null. Blank text is not zero. */
export function numeric(text: string): number | null {
	if (text === '' || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
	const n = Number(text);
	return Number.isFinite(n) ? n : null;
}

/** A ticket value as a number for a numeric bound: numbers, numeric text; anything else is not comparable. */
export function asNumber(value: unknown): number | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	if (typeof value === 'string') return numeric(value.trim());
	return null;
}

/** The text a ticket value compares as: trimmed and lower-cased; numbers and booleans as written; else null. */
export function asLabelText(value: unknown): string | null {
	if (typeof value === 'string') return value.trim().toLowerCase();
	if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	return null;
}

/** Empty: missing, null, blank text, an empty list or an object without keys. */
export function isEmptyValue(value: unknown): boolean {
	if (value === undefined || value === null) return true;
	if (typeof value === 'string') return value.trim() === '';
	if (Array.isArray(value)) return value.length === 0;
	if (typeof value === 'object') return Object.keys(value).length === 0;
	return false;
}
