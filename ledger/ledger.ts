import type { OutcomeEntry } from './planning/outcomes';
import type {
	AggregateRow,
	BatchPlan,
	CallbackPlanner,
	CallbackReceipt,
	CallbackResult,
	DelegationFilter,
	DelegationPage,
	DelegationRecord,
	HandoffBatch,
	LedgerSnapshot,
	QualityCounts,
	QualitySample,
	RowsAhead,
	SeriesCell,
	SnapshotRequest,
} from './model';

/**
 * The one interface every ledger backend implements (embedded SQLite, PostgreSQL, in-memory for tests).
 * A contract test suite runs against each of them.
 */
export interface Ledger {
	readonly backend: 'sqlite' | 'postgres' | 'memory';
	/** Where it lives, for error messages: a file path or host:port/database. */
	readonly location: string;

	/**
	 * Reads the snapshot, runs `decide`, writes its rows and hysteresis state: one transaction,
	 * serialized per scope so concurrent batches never decide on the same counts.
	 * `decide` is pure and synchronous; if it throws, nothing is written. `snapshot.now` is the transaction's
	 * clock, taken once the lock is held and never before the latest recorded decision: stamp rows with it.
	 * `mayWrite`: nothing is committed before it resolves; if it rejects, nothing is committed and routeBatch rejects
	 * with its reason. PostgreSQL reads the snapshot, decides and sends the writes meanwhile (network round trips hidden
	 * behind whatever the caller is still checking), leaving only COMMIT to wait; the other backends wait for it before
	 * they start. `decide` may hand rows over while it runs (`ahead`, see RowsAhead): PostgreSQL stores them meanwhile.
	 */
	routeBatch<T>(
		scope: string,
		request: SnapshotRequest,
		decide: (snapshot: LedgerSnapshot, ahead: RowsAhead) => BatchPlan<T>,
		mayWrite?: Promise<unknown>,
	): Promise<T>;

	/** Same counts, read-only: for dry runs. */
	snapshot(scope: string, request: SnapshotRequest): Promise<LedgerSnapshot>;

	/**
	 * Applies outcomes to the latest decisions of tickets in ONE transaction, as that many single calls in a row
	 * would (a ticket named twice gets both, in order). Per entry, in the order given: the decision after that
	 * entry's update, or null when the scope has no decision for the ticket. Rollups move in the same transaction.
	 */
	recordOutcomes(scope: string, entries: readonly OutcomeEntry[]): Promise<Array<DelegationRecord | null>>;

	/**
	 * Hand-off bookkeeping in ONE transaction under the scope's lock (one commit for a whole group of hand-offs):
	 * first each result (its row replaces the intent; its outcome is applied while its decision is still the ticket's
	 * current one), then, for each request in order, reads what the ledger holds about its decision (the decision, its
	 * recorded terms, its hand-off, as left by what came before), runs its `plan` and writes the intent it returns, so a
	 * check and its intent cannot be split by another writer. Plans are synchronous; if one throws, nothing is written.
	 * `recorded`: per result, the decision after its outcome, or null when not updated; `planned`: per request, its plan's result.
	 */
	writeHandoffs<T>(scope: string, batch: HandoffBatch<T>): Promise<{ recorded: Array<DelegationRecord | null>; planned: T[] }>;

	/**
	 * Records one verified vendor callback at most once, in ONE transaction serialized with the scope's other writes:
	 * a receipt of the same vendor with the same hash or callback id answers its first answer again and writes nothing;
	 * otherwise `plan` judges the ticket's current decision (null when the scope has none) and either the outcome and
	 * the receipt are written together, or (a refusal) nothing is.
	 */
	recordCallback(scope: string, receipt: CallbackReceipt, plan: CallbackPlanner): Promise<CallbackResult>;

	/** All decisions of one ticket, oldest first. */
	decisionsOf(scope: string, ticketId: string): Promise<DelegationRecord[]>;

	list(filter: DelegationFilter): Promise<DelegationPage>;

	/** Grouped counts for [from, to): what shares, summaries and the risk report are computed from. */
	aggregate(scope: string | null, from: number, to: number): Promise<AggregateRow[]>;

	/**
	 * Outcome counts of each vendor's quality sample (every scope when scope is null): what quality guardrails
	 * decide on (the router reads the same counts inside its batch transaction) and Vendor Risk reports.
	 */
	quality(scope: string | null, samples: readonly QualitySample[]): Promise<Record<string, QualityCounts>>;

	/**
	 * Decisions per kind and vendor in each consecutive range [bounds[i], bounds[i + 1]) (local days of a report): one
	 * read however many ranges, so a 30-day chart costs one query, not thirty. `bounds` ascend; empty cells are left out.
	 */
	series(scope: string | null, bounds: readonly number[]): Promise<SeriesCell[]>;

	/** The policy scopes that have recorded decisions, sorted: what the nodes' Policy Scope lists offer. */
	scopes(): Promise<string[]>;

	close(): Promise<void>;
}
