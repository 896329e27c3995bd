import type { Dimension, NewDelegation } from '../model';
import { ROUTED_COLUMNS } from '../sql/columns';

/**
 * The fields a row's dimension holds. The INSERT reads them from `delegation_dimensions` (written before the rows, in
 * the same transaction, looked up by these very fields), so they are not sent at all: six fewer arrays of 10,000
 * elements for the server to parse. See `batchDimensions` for how a row finds its own.
 */
const DIMENSION_FIELD_LIST = ['kind', 'vendor', 'reason', 'topic', 'channel', 'language'] as const satisfies ReadonlyArray<
	keyof Dimension & keyof NewDelegation
>;
const DIMENSION_FIELDS: ReadonlySet<keyof NewDelegation> = new Set(DIMENSION_FIELD_LIST);
type SentField = Exclude<keyof NewDelegation, (typeof DIMENSION_FIELD_LIST)[number]>;

/** The routed columns a batch sends, in ROUTED_COLUMNS order: all but its dimension's. */
export const SENT_COLUMNS = ROUTED_COLUMNS.filter(({ field }) => !DIMENSION_FIELDS.has(field));

/**
 * Values as one JSON array parameter, read back by `json_array_elements_text`: V8 serializes 10,000 of them several
 * times faster than the driver encodes a text array (escaping every element), and the server parses both as fast.
 * Lone UTF-16 surrogates, which JSON.stringify writes as `\udxxx` escapes and PostgreSQL refuses, become U+FFFD —
 * what the driver's UTF-8 encoding of a text parameter makes of them too.
 */
export function jsonArray(values: readonly unknown[]): string {
	const json = JSON.stringify(values);
	return json.includes('\\ud') ? json.replace(LONE_SURROGATE, '$1\\ufffd') : json;
}

/**
 * One column of a batch as the INSERT reads it: the JSON array of its values, or, when every row holds the same value
 * (a batch's scope, policy version, decision time, workflow and execution), an empty array and that value once (`same`,
 * a text parameter). The server then reads 10,000 fewer elements per such column: a router batch's 10,000 rows parsed
 * in 33–46 ms of server CPU instead of 77–124 ms (measured interleaved, other processes loading the machine).
 */
export interface ColumnJson {
	json: string;
	same: string | number | boolean | null;
}

/**
 * A batch's rows column by column, in SENT_COLUMNS order. One pass over the rows reading each field by its name: a
 * read keyed by a variable field name (`r[field]`) sees 15 names and goes megamorphic in V8, which cost as much as the
 * serializing. An absent (undefined) value becomes null, as JSON.stringify writes it in an array. The id column always
 * goes whole: its length is the batch's row count.
 */
export function columnsJson(rows: readonly NewDelegation[]): ColumnJson[] {
	const n = rows.length;
	const c = emptyColumns(n);
	for (let i = 0; i < n; i++) {
		const r = rows[i];
		c.id[i] = r.id;
		c.scope[i] = r.scope;
		c.ticketId[i] = r.ticketId;
		c.decidedAt[i] = r.decidedAt;
		c.destination[i] = r.destination;
		c.contract[i] = r.contract;
		c.ruleId[i] = r.ruleId;
		c.guardrail[i] = r.guardrail;
		c.policyVersion[i] = r.policyVersion;
		c.priority[i] = r.priority;
		c.costEstimate[i] = r.costEstimate;
		c.workflowId[i] = r.workflowId;
		c.executionId[i] = r.executionId;
		c.previousId[i] = r.previousId;
		c.matched[i] = r.matched;
	}
	return SENT_COLUMNS.map(({ field }) => (field === 'id' ? { json: jsonArray(c.id), same: null } : columnJson(c[field as SentField])));
}

/** One column's values as ColumnJson: their array, or their one value. */
function columnJson(values: readonly unknown[]): ColumnJson {
	return allSame(values) ? { json: '[]', same: asJson(values[0]) } : { json: jsonArray(values), same: null };
}

function allSame(values: readonly unknown[]): boolean {
	for (let i = 1; i < values.length; i++) if (values[i] !== values[0]) return false;
	return true;
}

/**
 * The value as its JSON array element reads back: JSON writes undefined and non-finite numbers as null. The driver sends
 * a number as its String(), which is the JSON text of a finite one.
 */
function asJson(value: unknown): string | number | boolean | null {
	if (typeof value === 'number') return Number.isFinite(value) ? value : null;
	return typeof value === 'string' || typeof value === 'boolean' ? value : null;
}

type Columns = { [F in SentField]: Array<NewDelegation[F]> };

/** One array of `n` slots per sent field (the mapped type makes a field left out a compile error). */
function emptyColumns(n: number): Columns {
	const a = () => new Array(n);
	return {
		id: a(), scope: a(), ticketId: a(), decidedAt: a(), destination: a(), contract: a(), ruleId: a(), guardrail: a(),
		policyVersion: a(), priority: a(), costEstimate: a(), workflowId: a(), executionId: a(), previousId: a(), matched: a(),
	};
}

/**
 * Each row's `head`: true for its ticket's current decision, null (not false) once superseded, as the column stores
 * it; usually true in every row, so sent once. JSON like the other columns, not a driver array: the driver encodes
 * 10,000 values one by one (~2 ms against 0.2 ms).
 */
export function headsJson(isHead: readonly boolean[]): ColumnJson {
	return columnJson(isHead.map((head) => (head ? true : null)));
}

/** A `\udxxx` escape not itself escaped (preceded by an even number of backslashes). */
const LONE_SURROGATE = /(?<!\\)((?:\\\\)*)\\ud[89a-f][0-9a-f]{2}/g;

/** The rows of JSON arrays, parameters `params` (`columnsJson`'s in SENT_COLUMNS order, then any more), as a ROWS FROM item. */
export function columnsFrom(params: readonly string[]): string {
	return params.map((p) => `json_array_elements_text(${p}::json)`).join(', ');
}

/**
 * A batch's dimensions as the INSERT reads them: the distinct dimension ids (`ids`, an int array parameter), and for each
 * row the 1-based position of its own among them (`positions`, a JSON array like the other columns). The statement turns
 * `ids` into one row of arrays, a field each (`dimensionArrays`), and each row reads its fields at its position. A join
 * of the rows with the dimension table came out in the table's order, and the server sorted 10,000 wide rows back into
 * the batch's (which `seq` records): ~17 ms of a 10,000-row INSERT's server time, gone when the rows are read in order.
 */
export function batchDimensions(dimensionIds: readonly number[]): { ids: number[]; positions: string } {
	const position = new Map<number, number>();
	const positions = new Array<number>(dimensionIds.length);
	for (let i = 0; i < dimensionIds.length; i++) {
		const id = dimensionIds[i];
		let at = position.get(id);
		if (at === undefined) position.set(id, (at = position.size + 1));
		positions[i] = at;
	}
	return { ids: [...position.keys()], positions: JSON.stringify(positions) };
}

/**
 * The one row of arrays `d` the rows read their dimension from: its id and each field, in the order of the ids in
 * parameter `ids`. LEFT: a dimension row missing from the table leaves null fields, and the row then fails on kind's NOT
 * NULL, failing the batch: it never vanishes.
 */
export function dimensionArrays(table: string, ids: string): string {
	const fields = ['id', ...DIMENSION_FIELD_LIST].map((f) => `array_agg(${f === 'id' ? 'u' : 'x'}.${f} ORDER BY u.n) AS ${f}`);
	return `SELECT ${fields.join(', ')} FROM unnest(${ids}::int[]) WITH ORDINALITY AS u (id, n) LEFT JOIN ${table} x ON x.id = u.id`;
}

/**
 * The select list of the routed columns, in ROUTED_COLUMNS order, from the rows `r` (columns named as in the table, and
 * `dimension`, the position of its dimension) and the dimension arrays `d`: a sent column's own value, else (its array
 * was empty) its same value from `same` (parameters in SENT_COLUMNS order), turned back into its type; a dimension's
 * column from `d` at the row's position.
 */
export function typedColumns(same: readonly string[]): string {
	let sent = 0;
	return ROUTED_COLUMNS.map(({ field, column, type }) => {
		if (DIMENSION_FIELDS.has(field)) return `d.${column}[r.dimension::int]`;
		const value = `coalesce(r.${column}, ${same[sent++]})`;
		return type === 'text' ? value : `${value}::${type}`;
	}).join(', ');
}
