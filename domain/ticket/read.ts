import { BoundedCache } from '../shared/bounded-cache';
import { parseInstant } from './instant';
import { ticketProblem } from './limits';
import { compilePath, type PathGetter } from './path';
import { FIELD_PRESETS, type FieldPaths, type FieldPresetName } from './presets';
import type { Ticket, TicketField } from './ticket';
import { lowerCased } from './text';

export interface TicketMapping {
	preset: FieldPresetName;
	/** Paths that replace the preset's; empty strings keep the preset's path. */
	overrides?: Partial<FieldPaths>;
	/**
	 * The IANA time zone a created-at or due time without an offset is read in: the policy's (default UTC), never the
	 * server's.
	 */
	zone?: string;
}

/**
 * A payload that cannot become a ticket: no id (`missing`), or an id or label the ledger could not hold (`invalid`:
 * too long, a control character, broken Unicode). Every other odd field degrades to empty.
 */
export class TicketReadError extends Error {
	constructor(
		message: string,
		readonly field: TicketField,
		readonly path: string,
		readonly reason: 'missing' | 'invalid' = 'missing',
	) {
		super(message);
		this.name = 'TicketReadError';
	}
}

export type TicketReader = (payload: unknown) => Ticket;

const readers = new BoundedCache<string, TicketReader>(64);

/**
 * The reader of a field mapping, compiled once per distinct mapping per process (executions of a workflow reuse it):
 * it turns one item's JSON into a Ticket or throws TicketReadError.
 */
export function ticketReader(mapping: TicketMapping): TicketReader {
	return readers.of(JSON.stringify([mapping.preset, mapping.overrides ?? {}, mapping.zone ?? 'UTC']), () => compileReader(mapping));
}

function compileReader(mapping: TicketMapping): TicketReader {
	const preset = FIELD_PRESETS[mapping.preset];
	const paths: FieldPaths = { ...preset.paths };
	for (const [field, path] of Object.entries(mapping.overrides ?? {}) as Array<[TicketField, string | undefined]>) {
		if (typeof path === 'string' && path.trim() !== '') paths[field] = path.trim();
	}
	const get = {} as Record<TicketField, PathGetter>;
	for (const field of Object.keys(paths) as TicketField[]) get[field] = compilePath(paths[field]);
	const zone = mapping.zone ?? 'UTC';
	const channelCodes = preset.codes?.channel;
	const priorityCodes = preset.codes?.priority;

	return (payload) => {
		const id = asText(get.id(payload))?.trim() ?? null;
		if (id === null || id === '') {
			throw new TicketReadError(`ticket has no id at "${paths.id}"`, 'id', paths.id);
		}
		const ticket: Ticket = {
			id,
			subject: asText(get.subject(payload)) ?? '',
			body: asText(get.body(payload)) ?? '',
			tags: asList(get.tags(payload)),
			category: asLabel(get.category(payload)),
			language: asLabel(get.language(payload)),
			channel: decode(asLabel(get.channel(payload)), channelCodes),
			priority: decode(asLabel(get.priority(payload)), priorityCodes),
			tier: asLabel(get.tier(payload)),
			region: asLabel(get.region(payload)),
			createdAt: parseInstant(get.createdAt(payload), zone),
			dueAt: parseInstant(get.dueAt(payload), zone),
			source: payload,
		};
		// Ids and labels go into ledger rows and indexes: bounded and text only, or the ticket fails naming the field.
		const problem = ticketProblem(ticket);
		if (problem) {
			const [field, why] = problem;
			throw new TicketReadError(`ticket ${field} at "${paths[field]}" ${why}`, field, paths[field], 'invalid');
		}
		return ticket;
	};
}

function asText(value: unknown): string | null {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
	return null;
}

/** Labels compare case-insensitively: trimmed and lower-cased here, once, so rules compare with ===. */
function asLabel(value: unknown): string | null {
	const text = asText(value);
	if (text === null) return null;
	const label = lowerCased(text.trim());
	return label === '' ? null : label;
}

/**
 * Tags arrive as arrays (Zendesk, Freshdesk) or as a comma-separated string (forms, e-mail parsers). An array of
 * labels already trimmed and lower-cased is the list itself: a batch keeps a ticket for every item, and a copy of each
 * item's tags was ~56 bytes per ticket (routing only reads the list). Otherwise the list is made at its exact size (a
 * map, filtered only when something is dropped).
 */
function asList(value: unknown): string[] {
	if (Array.isArray(value) && isLabelList(value)) return value;
	const parts = Array.isArray(value) ? value : typeof value === 'string' ? value.split(',') : [value];
	const labels = parts.map(asLabel);
	for (const label of labels) if (typeof label !== 'string') return labels.filter((l): l is string => typeof l === 'string');
	return labels as string[];
}

function isLabelList(values: unknown[]): values is string[] {
	for (const v of values) if (typeof v !== 'string' || v === '' || asLabel(v) !== v) return false;
	return true;
}

function decode(label: string | null, codes: Record<string, string> | undefined): string | null {
	if (label === null || !codes) return label;
	return Object.hasOwn(codes, label) ? codes[label] : label;
}
