import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Ledger } from '../../ledger/ledger';
import { OutcomeRejectedError, recordOutcomesByScope, type ScopedOutcome } from '../../ledger/outcome-writer';
import type { DelegationFilter, DelegationRecord, DelegationStatus, DestinationKind, OutcomeUpdate } from '../../ledger/model';
import { OPEN_STATUSES } from '../../ledger/model';
import { summarizeDelegations } from '../../domain/risk/summary';
import { MAX_TICKET_ID, textProblem } from '../../domain/ticket/limits';
import { rollingRange } from '../../domain/risk/window';
import { recordJson, recordsCsv } from './records';

const DAY = 86_400_000;
/** Rows fetched per ledger call while paging: large enough to be few calls, small enough to stay cheap. */
const PAGE = 1000;

type Op = (this: IExecuteFunctions, ledger: Ledger, i: number) => Promise<INodeExecutionData[]>;

function fail(ctx: IExecuteFunctions, message: string, i: number): never {
	throw new NodeOperationError(ctx.getNode(), message, { itemIndex: i });
}

/** A dateTime parameter as epoch ms; undefined when left empty. */
function instant(ctx: IExecuteFunctions, value: unknown, field: string, i: number): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const ms = value instanceof Date ? value.getTime() : Date.parse(String(value));
	if (Number.isNaN(ms)) fail(ctx, `Item ${i}: "${field}" is not a date: ${JSON.stringify(value)}`, i);
	return ms;
}

function scopeOf(ctx: IExecuteFunctions, i: number, required: boolean): string | undefined {
	const scope = String(ctx.getNodeParameter('policyScope', i, '')).trim();
	if (!scope && required) fail(ctx, `Item ${i}: "Policy Scope" is empty; this operation needs the scope the ticket was routed under`, i);
	return scope || undefined;
}

function ticketIdOf(ctx: IExecuteFunctions, i: number): string {
	const raw = ctx.getNodeParameter('ticketId', i, '') as unknown;
	const ticketId = raw === null || raw === undefined ? '' : String(raw).trim();
	if (!ticketId) fail(ctx, `Item ${i}: "Ticket ID" is empty`, i);
	// Checked here, not by the database: PostgreSQL would refuse a NUL with a message about byte sequences.
	const problem = textProblem(ticketId, MAX_TICKET_ID);
	if (problem) fail(ctx, `Item ${i}: "Ticket ID" ${problem}`, i);
	return ticketId;
}

/** Pages through the ledger until `max` rows (or all of them). */
async function collect(ledger: Ledger, filter: DelegationFilter, max: number): Promise<DelegationRecord[]> {
	const rows: DelegationRecord[] = [];
	let cursor: string | undefined;
	do {
		const page = await ledger.list({ ...filter, cursor, limit: Math.min(PAGE, max - rows.length) });
		rows.push(...page.rows);
		cursor = page.nextCursor ?? undefined;
	} while (cursor && rows.length < max);
	return rows;
}

function maxRows(ctx: IExecuteFunctions, i: number): number {
	return (ctx.getNodeParameter('returnAll', i, false) as boolean) ? Infinity : (ctx.getNodeParameter('limit', i, 50) as number);
}

function filterOf(ctx: IExecuteFunctions, i: number): DelegationFilter {
	const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const filter: DelegationFilter = { scope: scopeOf(ctx, i, false) };
	if (f.vendor) filter.vendor = String(f.vendor);
	if (f.kind) filter.kind = f.kind as DestinationKind;
	if (f.reason) filter.reason = String(f.reason);
	if (Array.isArray(f.status) && f.status.length) filter.status = f.status as DelegationStatus[];
	filter.from = instant(ctx, f.from, 'Decided After', i);
	filter.to = instant(ctx, f.to, 'Decided Before', i);
	return filter;
}

const rowsToItems = (rows: DelegationRecord[], i: number): INodeExecutionData[] =>
	rows.map((row) => ({ json: recordJson(row), pairedItem: { item: i } }));


/** What one Record Outcome item asks for, read and checked before anything is written. */
export function outcomeRequestOf(ctx: IExecuteFunctions, i: number): ScopedOutcome {
	const scope = scopeOf(ctx, i, true)!;
	const ticketId = ticketIdOf(ctx, i);
	const o = ctx.getNodeParameter('outcome', i, {}) as IDataObject;
	const update: OutcomeUpdate = { status: ctx.getNodeParameter('status', i) as DelegationStatus };
	update.at = instant(ctx, o.at, 'Happened At', i);
	update.handedOffAt = instant(ctx, o.handedOffAt, 'Handed Off At', i);
	update.firstResponseAt = instant(ctx, o.firstResponseAt, 'First Response At', i);
	update.resolvedAt = instant(ctx, o.resolvedAt, 'Resolved At', i);
	if (o.providerReference) update.providerReference = String(o.providerReference);
	if (o.errorClass) update.errorClass = String(o.errorClass);
	if (o.slaMet !== undefined) update.slaMet = o.slaMet === true;
	if (o.reopened !== undefined) update.reopened = o.reopened === true;
	if (o.csat !== undefined) {
		const csat = Number(o.csat);
		if (!Number.isFinite(csat) || csat < 0) fail(ctx, `Item ${i}: "CSAT" must be a number of at least 0, got ${JSON.stringify(o.csat)}`, i);
		update.csat = csat;
	}
	for (const key of Object.keys(update) as Array<keyof OutcomeUpdate>) if (update[key] === undefined) delete update[key];
	return { scope, ticketId, update };
}

/**
 * Writes the outcomes of every item, one ledger transaction per policy scope. Per item, in order: its output item,
 * or the error it failed with (an unknown ticket; or the ledger's, for every item of a scope whose transaction rolled back).
 */
export async function recordOutcomes(
	ctx: IExecuteFunctions,
	ledger: Ledger,
	requests: Array<ScopedOutcome | null>,
): Promise<Array<INodeExecutionData | Error | null>> {
	const written = await recordOutcomesByScope(ledger, requests);
	return written.map((w, i) => {
		if (!w) return null;
		if (w.error instanceof OutcomeRejectedError) return new NodeOperationError(ctx.getNode(), `Item ${i}: ${w.error.message}`, { itemIndex: i });
		if (w.error) return w.error;
		if (w.record) return { json: recordJson(w.record), pairedItem: { item: i } };
		const { ticketId, scope } = requests[i]!;
		return new NodeOperationError(ctx.getNode(), `Item ${i}: no delegation recorded for ticket "${ticketId}" in policy scope "${scope}"`, { itemIndex: i });
	});
}

const getDecisions: Op = async function (ledger, i) {
	const rows = await ledger.decisionsOf(scopeOf(this, i, true)!, ticketIdOf(this, i));
	return rowsToItems(rows, i);
};

const list: Op = async function (ledger, i) {
	return rowsToItems(await collect(ledger, filterOf(this, i), maxRows(this, i)), i);
};

const listOpen: Op = async function (ledger, i) {
	const vendor = String(this.getNodeParameter('vendor', i, '')).trim();
	if (!vendor) fail(this, `Item ${i}: "Vendor" is empty`, i);
	const filter: DelegationFilter = { scope: scopeOf(this, i, false), vendor, status: [...OPEN_STATUSES] };
	return rowsToItems(await collect(ledger, filter, maxRows(this, i)), i);
};

const summarize: Op = async function (ledger, i) {
	const days = Number(this.getNodeParameter('windowDays', i, 30));
	if (!(days > 0)) fail(this, `Item ${i}: "Window (Days)" must be positive, got ${days}`, i);
	const now = Date.now();
	// The same rolling window as the router's share cap and the risk report (rollingRange).
	const range = rollingRange(now, days * DAY);
	const summary = summarizeDelegations(await ledger.aggregate(scopeOf(this, i, false) ?? null, range.from, range.to));
	const json: IDataObject = {
		window: { from: new Date(range.from).toISOString(), to: new Date(now).toISOString(), days },
		...summary,
		byVendor: summary.byVendor.map((v) => ({ ...v })),
		byReason: summary.byReason.map((r) => ({ ...r })),
	};
	return [{ json, pairedItem: { item: i } }];
};

const exportFile: Op = async function (ledger, i) {
	const format = this.getNodeParameter('format', i, 'csv') as 'csv' | 'json';
	const rows = await collect(ledger, filterOf(this, i), maxRows(this, i));
	const body = format === 'csv' ? recordsCsv(rows) : JSON.stringify(rows.map(recordJson), null, 2);
	const fileName =
		String(this.getNodeParameter('fileName', i, '')).trim() || `delegations-${new Date().toISOString().slice(0, 10)}.${format}`;
	const field = this.getNodeParameter('binaryPropertyName', i, 'data') as string;
	const mime = format === 'csv' ? 'text/csv' : 'application/json';
	const binary = await this.helpers.prepareBinaryData(Buffer.from(body, 'utf8'), fileName, mime);
	return [{ json: { rows: rows.length, format, fileName }, binary: { [field]: binary }, pairedItem: { item: i } }];
};

/** The operations that read the ledger once per item; Record Outcome writes once per execution (recordOutcomes). */
export const operations = { getDecisions, list, listOpen, summarize, export: exportFile };
