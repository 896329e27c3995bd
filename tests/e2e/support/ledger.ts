import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';

/** The embedded ledger file real n8n writes by default: `<N8N_USER_FOLDER>/.n8n/support-delegation/ledger.sqlite`. */
export function embeddedLedgerFile(userFolder: string): string {
	return join(userFolder, '.n8n', 'support-delegation', 'ledger.sqlite');
}

export interface LedgerRow {
	id: string;
	scope: string;
	ticketId: string;
	destination: string;
	kind: string;
	vendor: string | null;
	reason: string;
	ruleId: string | null;
	status: string;
}

/** Decisions as stored, read straight from the SQLite file (read-only, beside a running n8n). */
export function readDecisions(file: string): LedgerRow[] {
	const db = new DatabaseSync(file, { readOnly: true });
	try {
		return db
			.prepare(
				'SELECT id, scope, ticket_id AS ticketId, destination, kind, vendor, reason, rule_id AS ruleId, status FROM delegations ORDER BY seq',
			)
			.all() as unknown as LedgerRow[];
	} finally {
		db.close();
	}
}
