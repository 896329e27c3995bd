import { DatabaseSync } from 'node:sqlite';
import { expect, it } from 'vitest';

import type { NewDelegation } from '../../ledger/model';
import { INSERT_ROW_SQL, insertRow } from '../../ledger/sqlite/insert-row';
import { migrateSqlite } from '../../ledger/sqlite/migrations';

/**
 * The router's INSERT binds 23 values by position. A row whose every field holds a value of its own, read back column
 * by column from the real table: a swapped pair (vendor/contract, workflow/execution…) lands in the wrong column here.
 * The column names are the table's, written out from the migrations, not taken from the code's column list.
 */
it("writes every field of a new decision into its own column of the embedded ledger's table", () => {
	const db = new DatabaseSync(':memory:');
	migrateSqlite(db, ':memory:');
	const row: NewDelegation = {
		id: 'v-id',
		scope: 'v-scope',
		ticketId: 'v-ticket',
		decidedAt: 1_700_000_000_001,
		destination: 'v-destination',
		kind: 'external',
		vendor: 'v-vendor',
		contract: 'capacity',
		reason: 'overflow',
		ruleId: 'v-rule',
		guardrail: 'v-guardrail',
		policyVersion: 'v-policy',
		channel: 'v-channel',
		language: 'v-language',
		topic: 'v-topic',
		priority: 'v-priority',
		costEstimate: 2.5,
		workflowId: 'v-workflow',
		executionId: 'v-execution',
		previousId: 'v-previous',
		matched: 'v-matched',
	};
	insertRow(db.prepare(INSERT_ROW_SQL), row, true, 7);
	insertRow(db.prepare(INSERT_ROW_SQL), { ...row, id: 'v-id-2', vendor: null, contract: null, guardrail: null }, false, 8);

	const [first, second] = db.prepare('SELECT * FROM delegations ORDER BY seq').all();
	expect(first).toMatchObject({
		id: 'v-id',
		scope: 'v-scope',
		ticket_id: 'v-ticket',
		decided_at: 1_700_000_000_001,
		destination: 'v-destination',
		kind: 'external',
		vendor: 'v-vendor',
		contract: 'capacity',
		reason: 'overflow',
		rule_id: 'v-rule',
		guardrail: 'v-guardrail',
		policy_version: 'v-policy',
		channel: 'v-channel',
		language: 'v-language',
		topic: 'v-topic',
		priority: 'v-priority',
		cost_estimate: 2.5,
		workflow_id: 'v-workflow',
		execution_id: 'v-execution',
		previous_id: 'v-previous',
		matched: 'v-matched',
		status: 'routed',
		head: 1,
		dimension_id: 7,
		handed_off_at: null,
		resolved_at: null,
	});
	// Not the ticket's current decision: head is NULL (never 0, which the unique index would count).
	expect(second).toMatchObject({ id: 'v-id-2', vendor: null, contract: null, guardrail: null, head: null, dimension_id: 8 });
	db.close();
});
