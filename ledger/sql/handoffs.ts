import type { HandoffRecord, HandoffState, RecordedTerms } from '../model';
import type { SqlType, SqlValue } from './columns';

/** The `handoffs` table (migration 6) as both SQL backends read and write it, in table order. */
const HANDOFF = {
	decisionId: ['decision_id', 'text'],
	scope: ['scope', 'text'],
	ticketId: ['ticket_id', 'text'],
	vendor: ['vendor', 'text'],
	idempotencyKey: ['idempotency_key', 'text'],
	state: ['state', 'text'],
	sends: ['sends', 'bigint'],
	startedAt: ['started_at', 'bigint'],
	finishedAt: ['finished_at', 'bigint'],
	providerReference: ['provider_reference', 'text'],
	httpStatus: ['http_status', 'bigint'],
	errorClass: ['error_class', 'text'],
} as const satisfies Record<keyof HandoffRecord, readonly [string, SqlType]>;

export const HANDOFF_COLUMNS = (Object.keys(HANDOFF) as Array<keyof HandoffRecord>).map((field) => ({
	field,
	column: HANDOFF[field][0],
	type: HANDOFF[field][1] as SqlType,
}));

export const SELECT_HANDOFF = HANDOFF_COLUMNS.map((c) => c.column).join(', ');

/** A driver row of `handoffs` → HandoffRecord (PostgreSQL hands bigint back as text). */
export function toHandoff(row: Record<string, SqlValue>): HandoffRecord {
	const out: Record<string, unknown> = {};
	for (const { field, column, type } of HANDOFF_COLUMNS) {
		const v = row[column];
		out[field] = v === null || v === undefined ? null : type === 'bigint' ? Number(v) : String(v);
	}
	out.state = out.state as HandoffState;
	return out as unknown as HandoffRecord;
}

/** The values of one hand-off in HANDOFF_COLUMNS order. */
export function handoffValues(h: HandoffRecord): Array<string | number | null> {
	return HANDOFF_COLUMNS.map(({ field }) => h[field]);
}

/** `decision_terms` stores the two lists as JSON arrays; a row that does not parse reads as no terms. */
export function toTerms(row: Record<string, SqlValue> | undefined): RecordedTerms | null {
	if (!row) return null;
	try {
		const dataRegions = JSON.parse(String(row.data_regions)) as unknown;
		const allowedFields = JSON.parse(String(row.allowed_fields)) as unknown;
		if (!isStrings(dataRegions) || !isStrings(allowedFields)) return null;
		return {
			policyVersion: String(row.policy_version),
			vendor: String(row.vendor),
			dpa: row.dpa === true || Number(row.dpa) === 1,
			dataRegions,
			allowedFields,
		};
	} catch {
		return null;
	}
}

const isStrings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
