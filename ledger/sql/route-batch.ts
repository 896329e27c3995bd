import type {
	BatchPlan,
	DelegationRecord,
	LedgerSnapshot,
	NewDelegation,
	QualityCounts,
	QualitySample,
	RecordedTerms,
	RowsAhead,
	SnapshotRequest,
} from '../model';
import { OPEN_STATUSES } from '../model';
import { stampedAfterLock } from '../planning/clock';
import { contributionOf, rollUp, type RolledRow, type RolledRows, type RollupCell, type VendorCell } from '../planning/rollup';
import { foldSnapshot, snapshotReads, type EdgeRow, type SnapshotReads, type VendorHour } from '../planning/snapshot';
import { dictionary } from '../../domain/shared/dictionary';

type Awaitable<T> = T | Promise<T>;

/** What a backend reads for a snapshot; `Head` is its key of a row (SQLite: seq, PostgreSQL: id). */
export interface SnapshotRows<Head> {
	vendorHours: VendorHour[];
	edgeRows: EdgeRow[];
	overflowActive: Record<string, boolean>;
	/** The current decision (open or not) of each requested ticket that has one. */
	heads: Array<{ key: Head; record: DelegationRecord }>;
	/** Quality guardrail state per vendor. */
	qualityBelow: Record<string, boolean>;
	/** The latest decision time in the ledger (every scope), when asked for with the rows; null when it is empty. */
	latestDecidedAt?: number | null;
}

/** Everything one batch writes, in the order a backend must apply it. */
export interface BatchWrite<Head> {
	scope: string;
	/** Current decisions the batch supersedes, by key (found by the snapshot)… */
	supersededHeads: Head[];
	/** …and by ticket, for tickets the snapshot did not ask about. */
	supersededTickets: string[];
	rows: NewDelegation[];
	/** Per row: it is its ticket's current decision (the last of the batch for that ticket). */
	isHead: boolean[];
	dimensionIds: number[];
	cells: RollupCell[];
	/** The vendor rollups' ten-minute cells; the hour and day cells are their sums. */
	vendorCells: VendorCell[];
	overflowActive: Record<string, boolean>;
	/** Absent: the batch leaves the quality state as it was. */
	qualityBelow?: Record<string, boolean>;
	/** Vendor terms under the batch's policy version; an existing (scope, version, vendor) is left as it is. */
	terms: RecordedTerms[];
}

/**
 * The statements of one SQL backend, run inside the transaction that holds the scope's lock. The backend decides
 * how many round trips each takes; the order and the rules are `routeBatchWith`'s.
 */
export interface BatchStatements<Head> {
	/**
	 * The rows `reads` asks for, and with `withLatest` the latest decision time too: a backend with round trips reads
	 * them all in one (the batch's clock is guessed first and read again in the rare case the guess was early).
	 */
	snapshotRows(scope: string, reads: SnapshotReads, ticketIds: readonly string[], withLatest: boolean): Awaitable<SnapshotRows<Head>>;
	/** Outcome counts of each quality sample, read in the same transaction. */
	quality(scope: string, samples: readonly QualitySample[]): Awaitable<Record<string, QualityCounts>>;
	/** Dimension ids of the rows, creating the dimensions first seen. */
	dimensionIds(rows: readonly NewDelegation[]): Awaitable<number[]>;
	/**
	 * Optional: sends rows ahead of the write, at once, while the batch is still being decided: each is its ticket's
	 * head, and the heads in `supersededHeads` stop being theirs before they go in. Returns the rows' dimension ids, or
	 * null, sending nothing, when it cannot take them now (a dimension it does not know yet): they then go with the write.
	 * A failure of what it sent fails the write.
	 */
	sendAhead?(rows: readonly NewDelegation[], supersededHeads: Head[]): number[] | null;
	/**
	 * Optional: sends, at once, the check of a batch decided before anything was read (see routeGuessedBatch): none of
	 * `ticketIds` has a decision in the scope, and no decision is recorded after `now`. When either is not so, the write
	 * fails with GuessMissed, and the caller's transaction rolls back with nothing written.
	 */
	guard?(scope: string, ticketIds: readonly string[], now: number): void;
	/**
	 * Writes the batch. With `mayCommit`, none of it is committed before it resolves, and if it rejects the write
	 * rejects with its reason (the caller's transaction then rolls back): a backend may send the writes meanwhile.
	 * A backend that waits for it before the batch starts (SQLite: its lock is the whole file's) never gets one.
	 */
	write(batch: BatchWrite<Head>, mayCommit?: Promise<unknown>): Awaitable<void>;
}

/** The statements of a backend that checks guesses (see routeGuessedBatch). */
export type GuardedStatements<Head> = BatchStatements<Head> & { guard: NonNullable<BatchStatements<Head>['guard']> };

/** The snapshot of a scope, and the head key of every requested ticket that has a decision. */
export async function readSnapshot<Head>(
	statements: BatchStatements<Head>,
	scope: string,
	request: SnapshotRequest,
): Promise<{ snapshot: LedgerSnapshot; heads: Map<string, Head> }> {
	const rows = await statements.snapshotRows(scope, snapshotReads(request), request.ticketIds, false);
	return { snapshot: await snapshotOf(statements, scope, request, rows), heads: headsOf(rows) };
}

function headsOf<Head>(rows: SnapshotRows<Head>): Map<string, Head> {
	const heads = new Map<string, Head>();
	for (const { key, record } of rows.heads) heads.set(record.ticketId, key);
	return heads;
}

/** The snapshot from its rows, with the quality counts the request asks for (read in the same transaction). */
async function snapshotOf<Head>(statements: BatchStatements<Head>, scope: string, request: SnapshotRequest, rows: SnapshotRows<Head>): Promise<LedgerSnapshot> {
	const open = dictionary<DelegationRecord>();
	for (const { record } of rows.heads) if (OPEN_STATUSES.includes(record.status)) open[record.ticketId] = record;
	const snapshot = foldSnapshot(request, rows.vendorHours, rows.edgeRows, rows.overflowActive, open);
	if (request.quality?.length) snapshot.quality = await statements.quality(scope, request.quality);
	snapshot.qualityBelow = rows.qualityBelow;
	return snapshot;
}

/**
 * The snapshot as of the moment the scope's lock is held, stamped no earlier than the latest recorded decision: read
 * with the latest decision time in one go on the clock's reading now, and read again only when the ledger holds a
 * later decision (another host's clock ahead of this one's).
 */
async function lockedSnapshot<Head>(
	statements: BatchStatements<Head>,
	scope: string,
	request: SnapshotRequest,
): Promise<{ snapshot: LedgerSnapshot; heads: Map<string, Head> }> {
	const guess = stampedAfterLock(request, null);
	const rows = await statements.snapshotRows(scope, snapshotReads(guess), request.ticketIds, true);
	const latest = rows.latestDecidedAt ?? null;
	if (latest === null || latest <= guess.now) return { snapshot: await snapshotOf(statements, scope, guess, rows), heads: headsOf(rows) };
	const stamped = { ...guess, now: latest };
	const again = await statements.snapshotRows(scope, snapshotReads(stamped), request.ticketIds, false);
	return { snapshot: await snapshotOf(statements, scope, stamped, again), heads: headsOf(again) };
}

/**
 * One batch, the same way in every SQL backend: stamp after the lock, read the snapshot, decide, then write the
 * rows, their heads, rollups and hysteresis state. The caller holds the transaction and the scope's lock; if
 * `decide` throws, or `mayWrite` rejects, nothing has been committed. Rows `decide` hands over ahead are sent at once
 * by a backend that can (see RowsSentAhead), the rest with the write; the rollups count them all.
 */
export async function routeBatchWith<Head, T>(
	statements: BatchStatements<Head>,
	scope: string,
	request: SnapshotRequest,
	decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
	mayWrite?: Promise<unknown>,
): Promise<T> {
	const { snapshot, heads } = await lockedSnapshot(statements, scope, request);
	const ahead = new RowsSentAhead(statements, scope, heads, request.ticketIds);
	return writePlan(statements, scope, request, heads, ahead, decide(snapshot, ahead.take), mayWrite);
}

/**
 * A batch that decides on nothing the ledger holds but its tickets' current decisions and the clock
 * (SnapshotRequest.ticketsOnly), decided before anything is read, on the snapshot that holds no decision of its tickets
 * and nothing later than its clock: what a ticket seen for the first time finds. The backend checks that guess in the
 * same transaction, under the scope's lock, ahead of the write (`guard`): a backend with round trips then spends one
 * where routeBatchWith spends two, and when the rows' dimensions are known, everything up to the write leaves in one
 * write to the server, waiting for nothing. When the guess was wrong (a ticket seen before, a host whose clock runs
 * ahead), the write fails with GuessMissed, nothing is written, and the caller runs the batch again with routeBatchWith.
 */
export async function routeGuessedBatch<Head, T>(
	statements: GuardedStatements<Head>,
	scope: string,
	request: SnapshotRequest,
	decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
	mayWrite?: Promise<unknown>,
): Promise<T> {
	const stamped = stampedAfterLock(request, null);
	statements.guard(scope, request.ticketIds, stamped.now);
	const snapshot = foldSnapshot(stamped, [], [], dictionary(), dictionary<DelegationRecord>());
	snapshot.qualityBelow = dictionary();
	const heads = new Map<string, Head>();
	// Rows handed over early go with the write: a guessed batch is a few tickets, with no deciding left to hide them behind.
	const ahead = new RowsSentAhead({ ...statements, sendAhead: undefined }, scope, heads, request.ticketIds);
	return writePlan(statements, scope, request, heads, ahead, decide(snapshot, ahead.take), mayWrite);
}

/** The guess of routeGuessedBatch did not hold: nothing was written. */
export class GuessMissed extends Error {
	constructor(reason: string) {
		super(`The batch was decided on a snapshot the ledger did not hold (${reason}); nothing was written`);
		this.name = 'GuessMissed';
	}
}

/** The rows of a decided batch (those `ahead` holds, then the plan's), their heads, rollups and states, written. */
async function writePlan<Head, T>(
	statements: BatchStatements<Head>,
	scope: string,
	request: SnapshotRequest,
	heads: ReadonlyMap<string, Head>,
	ahead: RowsSentAhead<Head>,
	plan: BatchPlan<T>,
	mayWrite: Promise<unknown> | undefined,
): Promise<T> {
	inScope(plan.rows, scope);
	const rows = joined(ahead.held, plan.rows);
	const found = rows.length > 0 ? statements.dimensionIds(rows) : [];
	// Known dimensions come back at once, and the write then leaves in the same socket write as what went before it.
	const dimensionIds = found instanceof Promise ? await found : found;
	const superseding = ahead.sent.length > 0 ? ahead.supersessionAfter(rows) : supersession(rows, heads, request.ticketIds);
	const { cells, vendorCells } = rollUp(rolled(joined(ahead.sent, rows), joined(ahead.sentIds, dimensionIds)));
	await statements.write(
		{
			scope,
			...superseding,
			rows,
			dimensionIds,
			cells,
			vendorCells,
			overflowActive: plan.overflowActive,
			qualityBelow: plan.qualityBelow,
			terms: plan.terms ?? [],
		},
		mayWrite,
	);
	return plan.result;
}

/** Every row is of the batch's scope. */
function inScope(rows: readonly NewDelegation[], scope: string) {
	// Indexed loops over a batch's rows where a function runs once per batch: unoptimised, `for…of` makes an iterator
	// result per row (~0.4 MB of garbage per 10,000).
	for (let i = 0; i < rows.length; i++) {
		const row = rows[i];
		if (row.scope !== scope) throw new Error(`Decision ${row.id} is for scope "${row.scope}", not the batch's "${scope}"`);
	}
}

/**
 * The rows `decide` hands over ahead (RowsAhead), sent by a backend that can (`sendAhead`) while they keep the requested
 * tickets' order, one row per ticket: then each is its ticket's head and supersedes the head the snapshot found, as
 * `eachRowItsTicketsHead` has it. The first group that cannot go (out of that order, or refused by the backend) and
 * every later one are held for the write.
 */
class RowsSentAhead<Head> {
	/** Groups of rows sent, and their dimension ids; groups held for the write. */
	readonly sent: NewDelegation[][] = [];
	readonly sentIds: number[][] = [];
	readonly held: NewDelegation[][] = [];
	/** How far along the requested ids the rows sent have come. */
	private next = 0;
	private sending: boolean;

	constructor(
		private readonly statements: BatchStatements<Head>,
		private readonly scope: string,
		private readonly heads: ReadonlyMap<string, Head>,
		private readonly ticketIds: readonly string[],
	) {
		this.sending = statements.sendAhead !== undefined;
	}

	readonly take = (rows: NewDelegation[]) => {
		if (rows.length === 0) return;
		inScope(rows, this.scope);
		if (this.sending) {
			const next = requestOrderFrom(rows, this.ticketIds, this.next);
			const ids = next < 0 ? null : this.statements.sendAhead!(rows, supersededHeadsOf(rows, this.heads));
			if (ids) {
				this.next = next;
				this.sent.push(rows);
				this.sentIds.push(ids);
				return;
			}
			this.sending = false;
		}
		this.held.push(rows);
	};

	/**
	 * Supersession for the rows the write still carries, after rows sent ahead: in the requested order still, as
	 * `eachRowItsTicketsHead`; otherwise by ticket only, which also finds a row sent ahead that one of them replaces.
	 */
	supersessionAfter(rows: readonly NewDelegation[]): Pick<BatchWrite<Head>, 'supersededHeads' | 'supersededTickets' | 'isHead'> {
		if (requestOrderFrom(rows, this.ticketIds, this.next) >= 0) return eachRowItsTicketsHead(rows, this.heads);
		return byTicket(rows, new Map(), []);
	}
}

/** The groups and then `last`, as one list made at its size (`last` itself when there are no groups). */
function joined<T>(groups: readonly T[][], last: T[]): T[] {
	return groups.length === 0 ? last : ([] as T[]).concat(...groups, last);
}

/**
 * A new decision supersedes the ticket's previous one (re-route), and within a batch the last one wins. The snapshot
 * already found the current decisions of the requested tickets; the others are looked up by ticket. In a function of
 * its own so that what it builds dies before the write.
 */
function supersession<Head>(
	rows: readonly NewDelegation[],
	heads: ReadonlyMap<string, Head>,
	ticketIds: readonly string[],
): Pick<BatchWrite<Head>, 'supersededHeads' | 'supersededTickets' | 'isHead'> {
	return inRequestOrder(rows, ticketIds) ? eachRowItsTicketsHead(rows, heads) : byTicket(rows, heads, ticketIds);
}

/**
 * Each row's ticket found further along the requested ids than the row before's: every row is of a requested ticket
 * and no two of one ticket (a request names each ticket once). A router batch's rows are so: its fresh tickets in input
 * order, and the requested ids its tickets in input order. One walk, with no map of 100,000 tickets (~7 MB with the
 * tables it outgrew).
 */
function inRequestOrder(rows: readonly NewDelegation[], ticketIds: readonly string[]): boolean {
	return requestOrderFrom(rows, ticketIds, 0) >= 0;
}

/** `inRequestOrder` from the requested id at `from` on: how far along the ids the rows end, or -1 when they are not so. */
function requestOrderFrom(rows: readonly NewDelegation[], ticketIds: readonly string[], from: number): number {
	let j = from;
	for (let i = 0; i < rows.length; i++) {
		const ticketId = rows[i].ticketId;
		while (j < ticketIds.length && ticketIds[j] !== ticketId) j++;
		if (j === ticketIds.length) return -1;
		j++;
	}
	return j;
}

/** Rows of distinct requested tickets: each is its ticket's head, superseding the head the snapshot found. */
function eachRowItsTicketsHead<Head>(
	rows: readonly NewDelegation[],
	heads: ReadonlyMap<string, Head>,
): Pick<BatchWrite<Head>, 'supersededHeads' | 'supersededTickets' | 'isHead'> {
	return { supersededHeads: supersededHeadsOf(rows, heads), supersededTickets: [], isHead: new Array<boolean>(rows.length).fill(true) };
}

/** The snapshot's heads of the rows' tickets. */
function supersededHeadsOf<Head>(rows: readonly NewDelegation[], heads: ReadonlyMap<string, Head>): Head[] {
	const supersededHeads: Head[] = [];
	if (heads.size > 0) {
		for (const r of rows) {
			const head = heads.get(r.ticketId);
			if (head !== undefined) supersededHeads.push(head);
		}
	}
	return supersededHeads;
}

/** Any rows: one map over the requested tickets and the rows' (not a set and a map). */
function byTicket<Head>(
	rows: readonly NewDelegation[],
	heads: ReadonlyMap<string, Head>,
	ticketIds: readonly string[],
): Pick<BatchWrite<Head>, 'supersededHeads' | 'supersededTickets' | 'isHead'> {
	// A ticket's last row i is i for a requested ticket, -2 - i for another; -1: requested, no row.
	const lastOf = new Map<string, number>();
	for (const ticketId of ticketIds) lastOf.set(ticketId, REQUESTED);
	for (let i = 0; i < rows.length; i++) {
		const ticketId = rows[i].ticketId;
		const seen = lastOf.get(ticketId);
		lastOf.set(ticketId, seen === undefined || seen < REQUESTED ? -2 - i : i);
	}
	const supersededHeads = new Set<Head>();
	const supersededTickets: string[] = [];
	for (const [ticketId, last] of lastOf) {
		if (last === REQUESTED) continue;
		const head = heads.get(ticketId);
		if (head !== undefined) supersededHeads.add(head);
		else if (last < REQUESTED) supersededTickets.push(ticketId);
	}
	return {
		supersededHeads: [...supersededHeads],
		supersededTickets,
		isHead: rows.map((r, i) => {
			const last = lastOf.get(r.ticketId)!;
			return (last < REQUESTED ? -2 - last : last) === i;
		}),
	};
}

const REQUESTED = -1;

/**
 * The rows as rollUp reads them: one RolledRow filled in place for each row in turn. An object per row, with its
 * contribution and the generator's step, was ~250 bytes of garbage per decision: more scavenges, each copying the
 * batch's live decisions.
 */
function rolled(rows: readonly NewDelegation[], dimensionIds: readonly number[]): RolledRows {
	const row: RolledRow = {
		scope: '',
		decidedAt: 0,
		kind: 'internal',
		vendor: null,
		dimensionId: 0,
		contribution: contributionOf({ costEstimate: 0, slaMet: null, reopened: null, csat: null }),
	};
	return {
		length: rows.length,
		at(i) {
			const r = rows[i];
			row.scope = r.scope;
			row.decidedAt = r.decidedAt;
			row.kind = r.kind;
			row.vendor = r.vendor;
			row.dimensionId = dimensionIds[i];
			row.contribution.cost = r.costEstimate;
			return row;
		},
	};
}
