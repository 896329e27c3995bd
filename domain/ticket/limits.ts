import type { Ticket, TicketField } from './ticket';

/**
 * What a ticket may carry into routing and the ledger. The bounds keep every value a ledger row or index holds far
 * below PostgreSQL's btree row limit (about 2,700 bytes): at most 3 UTF-8 bytes per UTF-16 unit, so an id is at most
 * 765 bytes and the dimension key's three labels 900 bytes, beside a policy id of at most 200 characters.
 */
export const MAX_TICKET_ID = 255;
export const MAX_LABEL = 100;

/**
 * C0 and C1 control characters (NUL included: PostgreSQL text refuses it) and lone surrogates (not text: a driver
 * would store U+FFFD instead, so two different ids could become one).
 */
const NOT_TEXT = /[\p{Cc}\p{Cs}]/u;

/**
 * Why `value` cannot be stored as ledger text, or null when it can. Written for messages that follow the field's
 * name: "is 10240 characters long (at most 255)".
 */
export function textProblem(value: string, max: number): string | null {
	if (value.length > max) return `is ${value.length} characters long (at most ${max})`;
	// Checked for every label of every ticket: a quick scan first, which passes the usual text at once; only text with
	// a control character or any surrogate (an emoji too) is looked at closely.
	if (!suspect(value)) return null;
	const bad = NOT_TEXT.exec(value);
	if (!bad) return null;
	const code = `U+${bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
	const what = /\p{Cs}/u.test(bad[0]) ? `a lone surrogate (${code}), not valid Unicode text` : `a control character (${code})`;
	return `contains ${what} at position ${bad.index}`;
}

/** Control characters (C0, DEL, C1) and surrogates: a native scan, so the usual text passes at once. */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const SUSPECT = /[\u0000-\u001f\u007f-\u009f\ud800-\udfff]/;

function suspect(value: string): boolean {
	return SUSPECT.test(value);
}

/** Why one id or label cannot be stored, or null. */
function labelProblem(value: string | null): string | null {
	return value === null ? null : textProblem(value, MAX_LABEL);
}

/**
 * The first id or label of a read ticket that the ledger could not hold, with why; null when all can be stored.
 * Runs once per ticket: each field read by name (not `ticket[field]` in a loop, a megamorphic lookup).
 */
export function ticketProblem(ticket: Ticket): [TicketField, string] | null {
	let why = textProblem(ticket.id, MAX_TICKET_ID);
	if (why) return ['id', why];
	if ((why = labelProblem(ticket.category))) return ['category', why];
	if ((why = labelProblem(ticket.language))) return ['language', why];
	if ((why = labelProblem(ticket.channel))) return ['channel', why];
	if ((why = labelProblem(ticket.priority))) return ['priority', why];
	if ((why = labelProblem(ticket.tier))) return ['tier', why];
	if ((why = labelProblem(ticket.region))) return ['region', why];
	for (const tag of ticket.tags) if ((why = textProblem(tag, MAX_LABEL))) return ['tags', why];
	return null;
}
