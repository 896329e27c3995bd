/**
 * The ledger's data model. Metadata only: no subject, body, names or e-mail addresses ever reach it,
 * so the ledger can be kept, exported and shared with auditors without becoming a PII store.
 */

export type DestinationKind = 'internal' | 'external';
export type ContractKind = 'specialist' | 'capacity' | 'outsourcing';

/** Lifecycle of one delegation. `routed` is written by the router; the rest by Provider Handoff and Delegation Log. */
export const DELEGATION_STATUSES = [
	'routed',
	'handed_off',
	'handoff_failed',
	'accepted',
	'rejected',
	'resolved',
	'returned',
] as const;
export type DelegationStatus = (typeof DELEGATION_STATUSES)[number];

/** A ticket whose latest decision is in one of these is still someone's work: re-routing it returns that decision. */
export const OPEN_STATUSES: readonly DelegationStatus[] = ['routed', 'handed_off', 'accepted'];

/** One routing decision as stored. Timestamps are epoch milliseconds. */
export interface DelegationRecord {
	id: string;
	scope: string;
	ticketId: string;
	decidedAt: number;
	destination: string;
	kind: DestinationKind;
	vendor: string | null;
	contract: ContractKind | null;
	reason: string;
	ruleId: string | null;
	guardrail: string | null;
	policyVersion: string;
	channel: string | null;
	language: string | null;
	topic: string | null;
	priority: string | null;
	costEstimate: number;
	workflowId: string | null;
	executionId: string | null;
	previousId: string | null;
	/** Why the rule matched (`keyword:refund`, `schedule:outside office (closed: sun 03:00)`…): a JSON array, at most 1,000 characters. Policy terms only, never ticket text. */
	matched: string | null;
	status: DelegationStatus;
	handedOffAt: number | null;
	providerReference: string | null;
	firstResponseAt: number | null;
	resolvedAt: number | null;
	slaMet: boolean | null;
	csat: number | null;
	reopened: boolean | null;
	errorClass: string | null;
}

/** Fields the router fills; the lifecycle fields start empty and status starts at `routed`. */
export type NewDelegation = Pick<
	DelegationRecord,
	| 'id'
	| 'scope'
	| 'ticketId'
	| 'decidedAt'
	| 'destination'
	| 'kind'
	| 'vendor'
	| 'contract'
	| 'reason'
	| 'ruleId'
	| 'guardrail'
	| 'policyVersion'
	| 'channel'
	| 'language'
	| 'topic'
	| 'priority'
	| 'costEstimate'
	| 'workflowId'
	| 'executionId'
	| 'previousId'
	| 'matched'
>;

/**
 * What the router needs counted before it decides a batch. Trailing windows start at `now - window` and
 * include decisions stamped after `now` (written while this batch waited for the lock, or by a worker whose
 * clock is ahead): counting them is what keeps caps exact under concurrency.
 */
export interface SnapshotRequest {
	now: number;
	/** The tickets whose current decisions the batch reads, each once. */
	ticketIds: string[];
	vendors: string[];
	/** Trailing window for the internal load that drives peak overflow. */
	internalWindowMs: number;
	/** Rolling window of the max-share guardrail (the same window the risk report uses by default). */
	shareWindowMs: number;
	/** Start of the current calendar month in the policy's time zone (monthly caps and budget). */
	monthStart: number;
	/** Quality guardrails: the outcome sample to count per vendor that has one. */
	quality?: QualitySample[];
	/**
	 * false: the batch decides on no count (its policy has no cap, budget, share cap, overflow or spare-capacity rule),
	 * so no window is read and every count is 0. The open decisions, overflow and quality states are read as always.
	 */
	counts?: boolean;
	/**
	 * true: the batch decides on nothing the ledger holds but whether each ticket already has a decision, and the clock
	 * (`counts` false and no quality sample: no overflow or quality state either). A backend with round trips may then
	 * decide before reading anything and check the guess with the write (routeGuessedBatch).
	 */
	ticketsOnly?: boolean;
}

/** The delegation statuses that finish a delegation and so enter a vendor's quality sample. */
export const CLOSED_STATUSES: readonly DelegationStatus[] = ['resolved', 'returned'];

/**
 * One vendor's quality sample: its finished (resolved or returned) delegations decided in [from, to), only the
 * `limit` most recently decided when a limit is given (the last N resolved).
 */
export interface QualitySample {
	vendor: string;
	from: number;
	to: number;
	limit: number | null;
}

/** The outcome counts of a quality sample: each rate's denominator is its own "known" count. */
export interface QualityCounts {
	/** Finished delegations in the sample: resolved or returned. */
	closed: number;
	returned: number;
	slaKnown: number;
	slaMet: number;
	outcomeKnown: number;
	reopened: number;
	csatSum: number;
	csatCount: number;
}

export interface VendorCounts {
	lastHour: number;
	lastDay: number;
	thisMonth: number;
	costThisMonth: number;
	inShareWindow: number;
}

/** Counts read inside the batch's transaction; the router's guardrails decide on nothing else. */
export interface LedgerSnapshot {
	now: number;
	internalInWindow: number;
	delegatedInShareWindow: number;
	vendors: Record<string, VendorCounts>;
	/** Peak-overflow hysteresis state per rule id, as left by the previous batch. */
	overflowActive: Record<string, boolean>;
	/** Latest open decision per requested ticket id (idempotency). */
	open: Record<string, DelegationRecord>;
	/** Outcome counts per vendor of the request's quality samples. */
	quality?: Record<string, QualityCounts>;
	/** Quality guardrail state per vendor (true: below, diverted), as left by the previous batch. */
	qualityBelow?: Record<string, boolean>;
}

/** What one batch wants written: the new rows and the hysteresis state after it. */
export interface BatchPlan<T> {
	/** The batch's rows after those handed to `ahead` (see Ledger.routeBatch). */
	rows: NewDelegation[];
	overflowActive: Record<string, boolean>;
	/** Quality guardrail state per vendor after it (absent: unchanged). */
	qualityBelow?: Record<string, boolean>;
	/** The terms of the vendors these rows delegate to, under the batch's policy version (kept once per version). */
	terms?: RecordedTerms[];
	result: T;
}

/**
 * Hands rows of a batch to the ledger while `decide` is still running: they are the batch's first rows, in the order
 * handed, before the plan's `rows`, exactly as if the plan held them all. A ledger on a server sends them meanwhile,
 * so the server stores them while the rest is decided; nothing is committed before the batch is. The ledger keeps the
 * array it is handed: the caller hands a new one each time.
 */
export type RowsAhead = (rows: NewDelegation[]) => void;

export interface OutcomeUpdate {
	status: DelegationStatus;
	at?: number;
	handedOffAt?: number;
	providerReference?: string;
	firstResponseAt?: number;
	resolvedAt?: number;
	slaMet?: boolean;
	csat?: number;
	reopened?: boolean;
	errorClass?: string;
}

export interface DelegationFilter {
	scope?: string;
	vendor?: string;
	kind?: DestinationKind;
	reason?: string;
	status?: DelegationStatus[];
	from?: number;
	to?: number;
	limit?: number;
	/** Opaque cursor from the previous page. */
	cursor?: string;
}

export interface DelegationPage {
	rows: DelegationRecord[];
	nextCursor: string | null;
}

/** What decisions are grouped by in rollups and aggregates. */
export interface Dimension {
	kind: DestinationKind;
	vendor: string | null;
	reason: string;
	topic: string | null;
	channel: string | null;
	language: string | null;
}

/** One group of the rollup: counts and outcome sums for one dimension cell. */
export interface AggregateRow extends Dimension {
	count: number;
	cost: number;
	slaKnown: number;
	slaMet: number;
	reopened: number;
	outcomeKnown: number;
	csatSum: number;
	csatCount: number;
}

/** Decisions of one kind and vendor in one range of a series (e.g. one local day): what the dashboard charts. */
export interface SeriesCell {
	/** Index of the range: [bounds[bucket], bounds[bucket + 1]). */
	bucket: number;
	kind: DestinationKind;
	/** null for internal decisions and for external ones recorded without a vendor. */
	vendor: string | null;
	count: number;
	cost: number;
}

/**
 * The data-protection terms a policy version gave a vendor, recorded by the router with its decisions. The policy
 * version is a content hash, so these never change for a (scope, version, vendor): Provider Handoff enforces them,
 * never the copy an item carries.
 */
export interface RecordedTerms {
	policyVersion: string;
	vendor: string;
	dpa: boolean;
	dataRegions: string[];
	allowedFields: string[];
}

/**
 * Where one decision's hand-off stands. sending: the request was about to go out (a crash leaves it here);
 * delivered: the vendor took it; pending: the vendor may have it but did not confirm (timeout, 409 in flight,
 * unreadable answer) — resent with the same key, never worked internally; failed: the vendor refused it.
 */
export const HANDOFF_STATES = ['sending', 'delivered', 'pending', 'failed'] as const;
export type HandoffState = (typeof HANDOFF_STATES)[number];

/** One decision's hand-off, as the ledger keeps it: written before each request and right after its answer. */
export interface HandoffRecord {
	decisionId: string;
	scope: string;
	ticketId: string;
	vendor: string;
	/** The Idempotency-Key every request for this decision carries. */
	idempotencyKey: string;
	state: HandoffState;
	/** Requests started for this decision, over every execution. */
	sends: number;
	/** Epoch ms of the latest intent. */
	startedAt: number;
	finishedAt: number | null;
	providerReference: string | null;
	httpStatus: number | null;
	errorClass: string | null;
}

/** What the ledger holds about one decision a hand-off names, read inside the hand-off's transaction. */
export interface HandoffView {
	/** The decision with that id in the scope, or null when the ledger has none. */
	decision: DelegationRecord | null;
	/** Whether it is its ticket's current decision (not superseded by a re-route). */
	current: boolean;
	/** The terms its policy version gave its vendor, or null when none were recorded. */
	terms: RecordedTerms | null;
	handoff: HandoffRecord | null;
}

/** What a hand-off plan wants written before its request (null: nothing), and what it tells the caller. */
export interface HandoffStart<T> {
	intent: HandoffRecord | null;
	result: T;
}

/** One decision a batch of hand-offs checks, and the plan that decides its intent. */
export interface HandoffRequest<T> {
	decisionId: string;
	plan: (view: HandoffView) => HandoffStart<T>;
}

/** One hand-off's result, and the outcome for its decision (null: the decision stays as it is). */
export interface HandoffResult {
	handoff: HandoffRecord;
	outcome: OutcomeUpdate | null;
}

/** What one hand-off transaction writes: results first, then the intents the requests' plans return. */
export interface HandoffBatch<T> {
	results: readonly HandoffResult[];
	requests: ReadonlyArray<HandoffRequest<T>>;
}

/**
 * What makes a vendor callback recognisable when it comes again: the same signed bytes, or the same callback id from
 * the same vendor. Written with the outcome it recorded, in the same transaction.
 */
export interface CallbackReceipt {
	vendor: string;
	/** SHA-256 (hex) of the signed bytes `<timestamp>.<raw body>`. */
	receiptHash: string;
	/** The vendor's own id of the callback, when it sent one. */
	callbackId: string | null;
	/**
	 * SHA-256 (hex) of what the callback reports, read from the body (timestamp and byte layout aside): a retry of the
	 * same event under its callback id has the same one, another event sent under a reused id has not.
	 */
	reportHash: string;
	ticketId: string;
	receivedAt: number;
}

/** What a vendor was answered; kept with the receipt, so a replay is answered the same. */
export interface CallbackAnswer {
	status: number;
	body: Record<string, unknown>;
}

/**
 * What to do with a callback, decided (purely) on the ticket's current decision inside the transaction: an outcome to
 * record and the answer built from the decision after it, or a refusal that writes nothing.
 */
/** A ticket's current decision, as a vendor's callback is judged on it. */
export interface CallbackTarget {
	decision: DelegationRecord;
	/** Provider Handoff recorded an intent to send this decision: it was sent, is in flight or ended in doubt. */
	handOffBegun: boolean;
}

/** Judges a callback on the ticket's current decision (null: the scope holds none). */
export type CallbackPlanner = (current: CallbackTarget | null) => CallbackPlan;

export type CallbackPlan =
	| { update: OutcomeUpdate; answer: (after: DelegationRecord) => CallbackAnswer }
	| { refusal: CallbackAnswer };

export type CallbackResult =
	| { kind: 'recorded'; record: DelegationRecord; answer: CallbackAnswer }
	/** Seen before: the first answer, nothing written. */
	| { kind: 'replayed'; answer: CallbackAnswer }
	/** The callback id was recorded before with another report: nothing written, the earlier report stands. */
	| { kind: 'idReused' }
	| { kind: 'refused'; answer: CallbackAnswer };
