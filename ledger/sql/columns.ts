import type { DelegationRecord, NewDelegation } from '../model';

/**
 * The `delegations` table as both SQL backends read and write it: the one column specification. A column's type is
 * its PostgreSQL type (SQLite stores the same values as INTEGER/REAL/TEXT); the migrations hold the DDL history.
 */
export type SqlType = 'text' | 'bigint' | 'float8' | 'boolean';

interface Column<F extends keyof DelegationRecord> {
	field: F;
	column: string;
	type: SqlType;
}

/** What the router writes (a NewDelegation), in table order. `satisfies` keeps it in step with the type. */
const ROUTED = {
	id: ['id', 'text'],
	scope: ['scope', 'text'],
	ticketId: ['ticket_id', 'text'],
	decidedAt: ['decided_at', 'bigint'],
	destination: ['destination', 'text'],
	kind: ['kind', 'text'],
	vendor: ['vendor', 'text'],
	contract: ['contract', 'text'],
	reason: ['reason', 'text'],
	ruleId: ['rule_id', 'text'],
	guardrail: ['guardrail', 'text'],
	policyVersion: ['policy_version', 'text'],
	channel: ['channel', 'text'],
	language: ['language', 'text'],
	topic: ['topic', 'text'],
	priority: ['priority', 'text'],
	costEstimate: ['cost_estimate', 'float8'],
	workflowId: ['workflow_id', 'text'],
	executionId: ['execution_id', 'text'],
	previousId: ['previous_id', 'text'],
	matched: ['matched', 'text'],
} as const satisfies Record<keyof NewDelegation, readonly [string, SqlType]>;

/** What hand-offs and outcomes write afterwards: status first. */
const LIFECYCLE = {
	status: ['status', 'text'],
	handedOffAt: ['handed_off_at', 'bigint'],
	providerReference: ['provider_reference', 'text'],
	firstResponseAt: ['first_response_at', 'bigint'],
	resolvedAt: ['resolved_at', 'bigint'],
	slaMet: ['sla_met', 'boolean'],
	csat: ['csat', 'float8'],
	reopened: ['reopened', 'boolean'],
	errorClass: ['error_class', 'text'],
} as const satisfies Record<Exclude<keyof DelegationRecord, keyof NewDelegation>, readonly [string, SqlType]>;

const columns = <F extends keyof DelegationRecord>(spec: Record<F, readonly [string, SqlType]>): Array<Column<F>> =>
	(Object.keys(spec) as F[]).map((field) => ({ field, column: spec[field][0], type: spec[field][1] }));

export const ROUTED_COLUMNS: ReadonlyArray<Column<keyof NewDelegation>> = columns(ROUTED);
/** The lifecycle columns an outcome writes: status and everything after it. */
export const OUTCOME_COLUMNS: ReadonlyArray<Column<Exclude<keyof DelegationRecord, keyof NewDelegation>>> = columns(LIFECYCLE);
export const RECORD_COLUMNS: ReadonlyArray<Column<keyof DelegationRecord>> = [...ROUTED_COLUMNS, ...OUTCOME_COLUMNS];

/**
 * Bookkeeping columns an insert fills after the routed ones: `status` starts at 'routed', `head` marks the ticket's
 * current decision, `dimension_id` names its rollup cell.
 */
export const INSERT_COLUMNS: readonly string[] = [...ROUTED_COLUMNS.map((c) => c.column), 'status', 'head', 'dimension_id'];

export const SELECT_RECORD = RECORD_COLUMNS.map((c) => c.column).join(', ');

/** Everything a driver may hand back for one column. */
export type SqlValue = string | number | bigint | boolean | null | Buffer | Uint8Array;

const READ: Record<SqlType, (v: Exclude<SqlValue, null>) => unknown> = {
	text: String,
	bigint: Number,
	float8: Number,
	// SQLite stores booleans as 0/1; PostgreSQL hands back true/false.
	boolean: (v) => v === true || Number(v) === 1,
};

/** A driver row (column → value; SQLite integers for booleans, PostgreSQL strings for bigint) → DelegationRecord. */
export function toRecord(row: Record<string, SqlValue>): DelegationRecord {
	const record: Record<string, unknown> = {};
	for (const { field, column, type } of RECORD_COLUMNS) {
		const v = row[column];
		record[field] = v === null || v === undefined ? null : READ[type](v);
	}
	return record as unknown as DelegationRecord;
}
