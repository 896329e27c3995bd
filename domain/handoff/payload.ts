import { pathSegments, readStep, writePath } from '../ticket/path';

export interface InternalNoteRules {
	/** Keys removed wherever they appear (internal_notes, private_notes, ...). */
	keys: readonly string[];
	/**
	 * Drop array entries a helpdesk marks private: Zendesk comments with `public: false`,
	 * Freshdesk conversations with `private: true`.
	 */
	dropPrivateEntries: boolean;
}

export const DEFAULT_INTERNAL_NOTE_KEYS: readonly string[] = [
	'internal_notes',
	'internalNotes',
	'private_notes',
	'privateNotes',
	'internal_note',
	'private_note',
];

/**
 * The part of a ticket a vendor may receive: only the allow-listed paths, with internal notes removed
 * even when an allowed field contains them (an allowed `comments` must not carry the private ones).
 *
 * Paths are read on the ticket as the vendor may see it: at every array on the way, private entries are gone
 * before a step is taken, so a numeric step counts public entries only (`comments.0` is the first public comment,
 * `comments.length` their number). No path reaches a private entry, and an allowed `comments` beside an allowed
 * `comments.0.body` describes the same entry — a dropped entry leaves no gap and no index behind.
 */
export function allowedPart(ticket: Record<string, unknown>, allowedFields: readonly string[], notes: InternalNoteRules) {
	const keys = new Set(notes.keys);
	let out: Record<string, unknown> = {};
	for (const path of allowedFields) {
		const segments = pathSegments(path);
		if (segments.length === 0 || segments.some((segment) => keys.has(segment))) continue;
		const value = visibleAt(ticket, segments, notes.dropPrivateEntries);
		if (value === undefined) continue;
		out = writePath(out, path, withoutNotes(value, keys, notes.dropPrivateEntries));
	}
	return out;
}

/** The value at a path, each array on the way without its private entries first (when they are dropped). */
function visibleAt(ticket: unknown, segments: readonly string[], dropPrivate: boolean): unknown {
	let value = ticket;
	for (const segment of segments) {
		if (dropPrivate && Array.isArray(value)) value = value.filter((entry) => !isPrivateEntry(entry));
		value = readStep(value, segment);
		if (value === undefined) return undefined;
	}
	return value;
}

function withoutNotes(value: unknown, keys: ReadonlySet<string>, dropPrivate: boolean): unknown {
	if (Array.isArray(value)) {
		const kept = dropPrivate ? value.filter((entry) => !isPrivateEntry(entry)) : value;
		return kept.map((entry) => withoutNotes(entry, keys, dropPrivate));
	}
	if (value && typeof value === 'object') {
		const out: Record<string, unknown> = {};
		for (const [key, inner] of Object.entries(value)) {
			if (!keys.has(key)) out[key] = withoutNotes(inner, keys, dropPrivate);
		}
		return out;
	}
	return value;
}

function isPrivateEntry(entry: unknown): boolean {
	if (!entry || typeof entry !== 'object') return false;
	const e = entry as Record<string, unknown>;
	return flag(e.public) === false || flag(e.private) === true || flag(e.internal) === true;
}

const TRUE = new Set(['true', '1', 'yes', 'y', 'on']);
const FALSE = new Set(['false', '0', 'no', 'n', 'off', '']);

/**
 * A helpdesk flag read leniently, as exports and form parsers write it: true/false, 1/0, "true"/"false", "yes"/"no".
 * Anything else is no answer (undefined), so a garbled `public` neither hides nor exposes an entry by itself.
 */
function flag(value: unknown): boolean | undefined {
	if (typeof value === 'boolean') return value;
	if (typeof value === 'number') return value === 1 ? true : value === 0 ? false : undefined;
	if (typeof value !== 'string') return undefined;
	const v = value.trim().toLowerCase();
	return TRUE.has(v) ? true : FALSE.has(v) ? false : undefined;
}
