import type { SQLInputValue } from 'node:sqlite';

import type { NewDelegation } from '../model';
import { INSERT_COLUMNS, ROUTED_COLUMNS } from '../sql/columns';

/**
 * The router's INSERT: the routed columns, then `status` (every new row's 'routed' is written into the statement rather
 * than bound 10,000 times: 1–2 ms less), `head` and `dimension_id`, in INSERT_COLUMNS order.
 */
export const INSERT_ROW_SQL = `INSERT INTO delegations (${INSERT_COLUMNS.join(', ')}) VALUES (${ROUTED_COLUMNS.map(() => '?').join(', ')}, 'routed', ?, ?)`;

/**
 * Runs INSERT_ROW_SQL for one row. The values go positionally, each field read by its name: a read keyed by a
 * variable field name (`r[field]`) over 21 fields goes megamorphic in V8 (2.5 ms against 0.3 ms per 10,000 rows).
 * Nothing in the types ties this order to ROUTED_COLUMNS, so a test does (tests/ledger/sqlite-insert-row.test.ts).
 * `?? null`: SQLite cannot bind undefined.
 */
export function insertRow(statement: { run(...values: SQLInputValue[]): unknown }, r: NewDelegation, isHead: boolean, dimensionId: number) {
	statement.run(
		r.id, r.scope, r.ticketId, r.decidedAt, r.destination, r.kind, r.vendor ?? null, r.contract ?? null, r.reason,
		r.ruleId ?? null, r.guardrail ?? null, r.policyVersion, r.channel ?? null, r.language ?? null, r.topic ?? null,
		r.priority ?? null, r.costEstimate, r.workflowId ?? null, r.executionId ?? null, r.previousId ?? null,
		r.matched ?? null, isHead ? 1 : null, dimensionId,
	);
}
