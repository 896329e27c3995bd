import type { DelegationRecord, DelegationStatus, DestinationKind, ContractKind } from '../model';

/**
 * The `delegations` table, shared by the SQLite and PostgreSQL backends: one column per DelegationRecord field,
 * in this order, plus two bookkeeping columns (`head`: the ticket's latest decision; `dimension_id`: its rollup cell).
 */
export const RECORD_COLUMNS = [
	['id', 'id'],
	['scope', 'scope'],
	['ticketId', 'ticket_id'],
	['decidedAt', 'decided_at'],
	['destination', 'destination'],
	['kind', 'kind'],
	['vendor', 'vendor'],
	['contract', 'contract'],
	['reason', 'reason'],
	['ruleId', 'rule_id'],
	['guardrail', 'guardrail'],
	['policyVersion', 'policy_version'],
	['channel', 'channel'],
	['language', 'language'],
	['topic', 'topic'],
	['priority', 'priority'],
	['costEstimate', 'cost_estimate'],
	['workflowId', 'workflow_id'],
	['executionId', 'execution_id'],
	['previousId', 'previous_id'],
	['status', 'status'],
	['handedOffAt', 'handed_off_at'],
	['providerReference', 'provider_reference'],
	['firstResponseAt', 'first_response_at'],
	['resolvedAt', 'resolved_at'],
	['slaMet', 'sla_met'],
	['csat', 'csat'],
	['reopened', 'reopened'],
	['errorClass', 'error_class'],
] as const satisfies ReadonlyArray<readonly [keyof DelegationRecord, string]>;

/** Columns a freshly routed row fills (NewDelegation + status); the lifecycle columns start NULL. */
export const INSERT_COLUMNS = [...RECORD_COLUMNS.slice(0, 21).map(([, c]) => c), 'head', 'dimension_id'];

export const SELECT_RECORD = RECORD_COLUMNS.map(([, c]) => c).join(', ');

/** Everything a driver may hand back for one column. */
export type SqlValue = string | number | bigint | boolean | null | Buffer | Uint8Array;

const num = (v: SqlValue): number | null => (v === null ? null : Number(v));
const str = (v: SqlValue): string | null => (v === null ? null : String(v));
const bool = (v: SqlValue): boolean | null => (v === null ? null : v === true || Number(v) === 1);

/** A driver row (column → value; SQLite integers for booleans, PostgreSQL strings for bigint) → DelegationRecord. */
export function toRecord(row: Record<string, SqlValue>): DelegationRecord {
	return {
		id: String(row.id),
		scope: String(row.scope),
		ticketId: String(row.ticket_id),
		decidedAt: Number(row.decided_at),
		destination: String(row.destination),
		kind: row.kind as DestinationKind,
		vendor: str(row.vendor),
		contract: str(row.contract) as ContractKind | null,
		reason: String(row.reason),
		ruleId: str(row.rule_id),
		guardrail: str(row.guardrail),
		policyVersion: String(row.policy_version),
		channel: str(row.channel),
		language: str(row.language),
		topic: str(row.topic),
		priority: str(row.priority),
		costEstimate: Number(row.cost_estimate),
		workflowId: str(row.workflow_id),
		executionId: str(row.execution_id),
		previousId: str(row.previous_id),
		status: row.status as DelegationStatus,
		handedOffAt: num(row.handed_off_at),
		providerReference: str(row.provider_reference),
		firstResponseAt: num(row.first_response_at),
		resolvedAt: num(row.resolved_at),
		slaMet: bool(row.sla_met),
		csat: num(row.csat),
		reopened: bool(row.reopened),
		errorClass: str(row.error_class),
	};
}

/** The lifecycle columns recordOutcome writes: status and everything after it. */
export const OUTCOME_COLUMNS = RECORD_COLUMNS.slice(RECORD_COLUMNS.findIndex(([f]) => f === 'status'));
