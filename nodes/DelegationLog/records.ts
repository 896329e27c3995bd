import type { IDataObject } from 'n8n-workflow';

import type { DelegationRecord } from '../../ledger/model';

/** Column order of exports and item fields: identity, decision, lifecycle, outcome. */
export const RECORD_FIELDS: ReadonlyArray<keyof DelegationRecord> = [
	'id',
	'scope',
	'ticketId',
	'decidedAt',
	'destination',
	'kind',
	'vendor',
	'contract',
	'reason',
	'ruleId',
	'guardrail',
	'policyVersion',
	'channel',
	'language',
	'topic',
	'priority',
	'costEstimate',
	'workflowId',
	'executionId',
	'previousId',
	'matched',
	'status',
	'handedOffAt',
	'providerReference',
	'firstResponseAt',
	'resolvedAt',
	'slaMet',
	'csat',
	'reopened',
	'errorClass',
];

const TIMESTAMPS = new Set<keyof DelegationRecord>(['decidedAt', 'handedOffAt', 'firstResponseAt', 'resolvedAt']);

/** A record as people read it in n8n: timestamps as ISO 8601, everything else as stored. */
export function recordJson(record: DelegationRecord): IDataObject {
	const json: IDataObject = {};
	for (const field of RECORD_FIELDS) {
		const value = record[field];
		json[field] = TIMESTAMPS.has(field) && typeof value === 'number' ? new Date(value).toISOString() : value;
	}
	return json;
}

function csvCell(value: unknown): string {
	if (value === null || value === undefined) return '';
	let text = String(value);
	// A cell starting with = + - @ is a formula to spreadsheet apps; ids and vendor names come from outside.
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
	return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** RFC 4180 CSV with a header row and CRLF line ends. */
export function recordsCsv(records: readonly DelegationRecord[]): string {
	const lines = [RECORD_FIELDS.join(',')];
	for (const record of records) {
		const json = recordJson(record);
		lines.push(RECORD_FIELDS.map((field) => csvCell(json[field])).join(','));
	}
	return lines.join('\r\n') + '\r\n';
}
