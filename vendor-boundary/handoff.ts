import type { Ledger } from '../ledger/ledger';
import type { DelegationRecord, HandoffRecord, HandoffView, OutcomeUpdate } from '../ledger/model';
import type { Refusal } from '../domain/handoff/gate';
import { checkTerms } from '../domain/handoff/gate';
import type { InternalNoteRules } from '../domain/handoff/payload';
import { vendorBody } from '../domain/handoff/body';
import { disagreement, type ClaimedDelegation, type Disagreement, type Mismatch } from '../domain/handoff/verify';
import type { Redactor, RedactionCounts } from '../domain/redaction/redact';
import { mapWithConcurrency } from './pool';
import { HandoffJournal } from './journal';
import { idempotencyKey } from './signing';
import { IN_DOUBT, type DeliveryErrorClass, type DeliveryResult } from './transport';

/** What an item says about its delegation (checked against the ledger before anything is sent). */
export interface ItemDelegation extends ClaimedDelegation {
	/** The customer's region, for the data-region gate. */
	customerRegion: string | null;
	/** `dry-run` marks a decision that was never recorded. */
	ledger?: unknown;
}

/** One ticket to hand off: the item's JSON and the delegation on it. */
export interface HandoffJob {
	ticket: Record<string, unknown>;
	delegation: ItemDelegation;
}

export interface HandoffSettings {
	/** Vendors this endpoint serves; empty serves any. */
	vendors: readonly string[];
	notes: InternalNoteRules;
	redactor: Redactor;
	concurrency: number;
	now?: () => number;
}

/** Where the sending happens; the node passes a VendorTransport, tests may pass anything with this shape. */
export interface Sender {
	deliver(vendor: string, body: string, key: string): Promise<DeliveryResult>;
}

/** recorded: the ledger has this hand-off's intent and result; not_written: refused, the ledger is as it was; unavailable: a write failed. */
export type LedgerWrite = 'recorded' | 'not_written' | 'unavailable';

export type HandoffErrorClass =
	| DeliveryErrorClass
	| Refusal
	| Disagreement
	| 'refused_vendor'
	| 'refused_dry_run'
	| 'unbuildable'
	| 'ledger_unavailable';

interface Common {
	vendor: string;
	decisionId: string;
	idempotencyKey: string;
	/** Counts per kind of what was replaced before sending; null when nothing was built. */
	redactions: RedactionCounts | null;
	attempts: number;
	httpStatus: number | null;
	/** vendor: answered now; ledger: settled by an earlier execution, nothing sent now. */
	source: 'vendor' | 'ledger';
	ledger: LedgerWrite;
	ledgerError?: string;
}

interface Problem {
	errorClass: HandoffErrorClass;
	message: string;
	vendorMessage: string | null;
	/** The item's field that disagrees with the ledger, for refusals of an edited or invented delegation. */
	field?: string;
}

export type HandoffOutcome =
	| (Common & {
			status: 'delivered';
			/** null: the vendor accepted (2xx) without a reference we could read. */
			providerReference: string | null;
			handedOffAt: string;
	  })
	/** The vendor may have the ticket but did not confirm: it stays the vendor's, and the next run asks again with the same key. */
	| (Common & Problem & { status: 'pending' })
	| (Common & Problem & { status: 'failed' });


/** A decision in one of these has reached the vendor: sending again would only ask it to deduplicate. */
const HANDED_OFF: ReadonlySet<DelegationRecord['status']> = new Set(['handed_off', 'accepted', 'resolved']);

/** What the check inside the ledger transaction found. */
type Start =
	| { kind: 'refused'; mismatch: Mismatch }
	| { kind: 'gate'; refusal: Refusal; message: string; sends: number }
	| { kind: 'earlier'; decision: DelegationRecord; handoff: HandoffRecord | null }
	/** `mayHold`: an earlier execution's attempt may have reached the vendor (it ended in doubt, or never recorded its end). */
	| { kind: 'send'; body: string; redactions: RedactionCounts; intent: HandoffRecord; mayHold: boolean };

/**
 * Hands a batch of tickets to one vendor endpoint with bounded concurrency. Per ticket, in order: the item's
 * delegation is checked against the decision the ledger holds (and the terms recorded with it), the intent is
 * recorded with its Idempotency-Key, the request goes out, and its result is recorded right away. Every job ends
 * delivered, pending or failed; an exception on one never loses another's outcome.
 */
export async function handOff(jobs: readonly HandoffJob[], settings: HandoffSettings, sender: Sender, ledger: Ledger): Promise<HandoffOutcome[]> {
	// The same delegation twice in one batch (a duplicated item) goes out once; both items get that answer. Only an
	// identical claim shares: an edited copy of a real item is checked (and refused) on its own.
	const byClaim = new Map<string, Promise<HandoffOutcome>>();
	const journal = new HandoffJournal(ledger);
	return mapWithConcurrency(jobs, settings.concurrency, async (job) => {
		const key = keyOf(job.delegation);
		const claim = JSON.stringify(job.delegation);
		let running = byClaim.get(claim);
		if (!running) {
			running = handOne(job, key, settings, sender, journal).catch((error: Error) => unexpected(job, key, error));
			byClaim.set(claim, running);
		}
		return { ...(await running) };
	});
}

/**
 * The first job whose delegation the ledger does not hold as the item says, checked before anything is sent (the
 * node stops on it unless Continue On Fail is on). Reads only; a job that cannot be read is left to the hand-off.
 */
export async function firstMismatch(jobs: readonly HandoffJob[], ledger: Ledger): Promise<{ index: number; mismatch: Mismatch } | null> {
	const journal = new HandoffJournal(ledger);
	const found = await Promise.all(
		jobs.map(({ delegation }) => journal.begin(delegation.policyScope, delegation.decisionId, (view) => ({ intent: null, result: disagreement(delegation, view) }))),
	);
	const index = found.findIndex((m) => m !== null);
	return index < 0 ? null : { index, mismatch: found[index]! };
}

const keyOf = (d: ItemDelegation) => idempotencyKey(d.policyScope, d.ticketId, d.vendor, d.decisionId);

async function handOne(job: HandoffJob, key: string, settings: HandoffSettings, sender: Sender, ledger: HandoffJournal): Promise<HandoffOutcome> {
	const now = settings.now ?? Date.now;
	const claim = job.delegation;
	const base: Common = {
		vendor: claim.vendor,
		decisionId: claim.decisionId,
		idempotencyKey: key,
		redactions: null,
		attempts: 0,
		httpStatus: null,
		source: 'vendor',
		ledger: 'not_written',
	};
	const notServed = notServedBy(settings.vendors, claim.vendor);
	if (notServed) {
		// A wiring mistake, not an outcome of the hand-off: the ledger is left alone.
		return failed(base, { errorClass: 'refused_vendor', message: notServed, vendorMessage: null, field: 'delegation.vendor' });
	}
	if (claim.ledger === 'dry-run') {
		// A dry run promises no side effects, and its decision is in no ledger: nothing leaves, nothing is written.
		const message = `Ticket "${claim.ticketId}" was routed in a dry run: it is not handed to vendor "${claim.vendor}". Turn off Dry Run on the Ticket Router to deliver it`;
		return failed(base, { errorClass: 'refused_dry_run', message, vendorMessage: null, field: 'delegation.ledger' });
	}

	let start: Start;
	try {
		start = await ledger.begin(claim.policyScope, claim.decisionId, (view) => plan(view, job, key, settings, now()));
	} catch (error) {
		// Nothing was sent: either the ledger could not be used, or the ticket could not be turned into a body
		// (the transaction rolled back, so the ledger is as it was).
		const message = (error as Error).message;
		if (isLedgerError(error)) return failed(base, { errorClass: 'ledger_unavailable', message: `Nothing was sent: ${message}`, vendorMessage: null });
		return failed(base, { errorClass: 'unbuildable', message: `Nothing was sent: the ticket could not be prepared for the vendor: ${message}`, vendorMessage: null });
	}

	switch (start.kind) {
		case 'refused':
			return failed(base, { errorClass: start.mismatch.refusal, message: start.mismatch.message, vendorMessage: null, field: start.mismatch.field });
		case 'earlier':
			return earlier(base, start.decision, start.handoff);
		case 'gate': {
			const record = handoffRecord(claim, key, { state: 'failed', sends: start.sends, startedAt: now(), finishedAt: now(), errorClass: start.refusal });
			const written = await finish(ledger, record, { status: 'handoff_failed', errorClass: start.refusal });
			return failed({ ...base, ...written }, { errorClass: start.refusal, message: start.message, vendorMessage: null });
		}
		case 'send':
			return send(base, start, claim, sender, ledger, now);
	}
}

/** The check and the intent, inside the ledger transaction: pure, synchronous; a throw writes nothing. */
function plan(view: HandoffView, job: HandoffJob, key: string, settings: HandoffSettings, at: number) {
	const claim = job.delegation;
	const mismatch = disagreement(claim, view);
	if (mismatch) return { intent: null, result: { kind: 'refused', mismatch } as Start };
	const decision = view.decision!;
	if (HANDED_OFF.has(decision.status) || decision.status === 'handoff_failed') {
		return { intent: null, result: { kind: 'earlier', decision, handoff: view.handoff } as Start };
	}
	const sends = view.handoff?.sends ?? 0;
	const verdict = checkTerms({ vendor: decision.vendor, customerRegion: claim.customerRegion, vendorTerms: view.terms });
	if (verdict) return { intent: null, result: { kind: 'gate', refusal: verdict.refusal, message: verdict.message, sends } as Start };
	// Built from the ledger's decision and terms; only the ticket's content comes from the item.
	const { body, redactions } = vendorBody(
		job.ticket,
		{ ticketId: decision.ticketId, decisionId: decision.id, vendor: decision.vendor, reason: decision.reason as never, customerRegion: claim.customerRegion },
		view.terms!.allowedFields,
		settings.notes,
		settings.redactor,
	);
	const intent = handoffRecord(claim, key, { state: 'sending', sends: sends + 1, startedAt: at, finishedAt: null });
	const mayHold = view.handoff?.state === 'pending' || view.handoff?.state === 'sending';
	return { intent, result: { kind: 'send', body, redactions, intent, mayHold } as Start };
}

async function send(base: Common, start: Extract<Start, { kind: 'send' }>, claim: ItemDelegation, sender: Sender, ledger: HandoffJournal, now: () => number): Promise<HandoffOutcome> {
	const result = await sender.deliver(claim.vendor, start.body, start.intent.idempotencyKey);
	const at = now();
	const common: Common = { ...base, redactions: start.redactions, attempts: result.attempts, httpStatus: result.httpStatus };
	const record = (fields: Partial<HandoffRecord>) => ({ ...start.intent, finishedAt: at, httpStatus: result.httpStatus, ...fields });

	// A 2xx is the vendor taking the ticket, with or without a reference we can read: it is theirs now.
	const accepted = result.ok || (result.httpStatus !== null && result.httpStatus >= 200 && result.httpStatus < 300);
	if (accepted) {
		const reference = result.ok ? result.providerReference : null;
		const update: OutcomeUpdate = { status: 'handed_off', handedOffAt: at, ...(reference === null ? {} : { providerReference: reference }) };
		const written = await finish(ledger, record({ state: 'delivered', providerReference: reference }), update);
		return { ...common, ...written, status: 'delivered', providerReference: reference, handedOffAt: new Date(at).toISOString() };
	}
	const problem: Problem = { errorClass: result.errorClass, message: result.message, vendorMessage: result.vendorMessage };
	if (IN_DOUBT.has(result.errorClass) || start.mayHold) {
		// The decision stays open with the vendor (status routed); only the hand-off row says it is in doubt. A definite
		// refusal now does not undo an earlier execution's attempt that may have reached the vendor.
		const written = await finish(ledger, record({ state: 'pending', errorClass: result.errorClass }), null);
		const message = IN_DOUBT.has(result.errorClass) ? problem.message : `${problem.message}; an earlier execution's attempt under the same Idempotency-Key may have reached the vendor, so the ticket stays with it`;
		return { ...common, ...written, ...problem, message, status: 'pending' };
	}
	const written = await finish(ledger, record({ state: 'failed', errorClass: result.errorClass }), { status: 'handoff_failed', errorClass: result.errorClass });
	return { ...common, ...written, ...problem, status: 'failed' };
}

/** A decision an earlier execution settled: reported from the ledger, nothing sent. */
function earlier(base: Common, decision: DelegationRecord, handoff: HandoffRecord | null): HandoffOutcome {
	const common: Common = { ...base, source: 'ledger', ledger: 'recorded', httpStatus: handoff?.httpStatus ?? null };
	if (decision.status === 'handoff_failed') {
		const errorClass = (decision.errorClass ?? 'server_error') as HandoffErrorClass;
		const message = `Decision "${decision.id}" already failed to reach vendor "${decision.vendor}" (${errorClass}) in an earlier execution and went back to the internal queue: nothing was sent again. Route the ticket again to retry`;
		return failed(common, { errorClass, message, vendorMessage: null });
	}
	return {
		...common,
		status: 'delivered',
		providerReference: decision.providerReference,
		handedOffAt: new Date(decision.handedOffAt ?? handoff?.finishedAt ?? decision.decidedAt).toISOString(),
	};
}

async function finish(ledger: HandoffJournal, record: HandoffRecord, outcome: OutcomeUpdate | null): Promise<Pick<Common, 'ledger' | 'ledgerError'>> {
	try {
		await ledger.finish(record.scope, { handoff: record, outcome });
		return { ledger: 'recorded' };
	} catch (error) {
		// The vendor's answer stands; the next run finds the intent and asks again under the same key.
		return { ledger: 'unavailable', ledgerError: (error as Error).message };
	}
}

function handoffRecord(claim: ItemDelegation, key: string, fields: Pick<HandoffRecord, 'state' | 'sends' | 'startedAt' | 'finishedAt'> & Partial<HandoffRecord>): HandoffRecord {
	return {
		decisionId: claim.decisionId,
		scope: claim.policyScope,
		ticketId: claim.ticketId,
		vendor: claim.vendor,
		idempotencyKey: key,
		providerReference: null,
		httpStatus: null,
		errorClass: null,
		...fields,
	};
}

function failed(base: Common, problem: Problem): HandoffOutcome {
	return { ...base, ...problem, status: 'failed' };
}

/** A bug or an unforeseen failure in one hand-off: that item fails, every other keeps its outcome. */
function unexpected(job: HandoffJob, key: string, error: Error): HandoffOutcome {
	const d = job.delegation;
	const base: Common = { vendor: d.vendor, decisionId: d.decisionId, idempotencyKey: key, redactions: null, attempts: 0, httpStatus: null, source: 'vendor', ledger: 'unavailable', ledgerError: error.message };
	return failed(base, { errorClass: 'unbuildable', message: `The hand-off stopped unexpectedly: ${error.message}. If it was sent, the next run asks again under the same key`, vendorMessage: null });
}

const isLedgerError = (error: unknown) => error instanceof Error && error.name === 'LedgerUnavailableError';

/** Why a node serving `vendors` (none listed: any) must not hand a ticket to `vendor`, or null when it may. */
export function notServedBy(vendors: readonly string[], vendor: string): string | null {
	const served = vendors.map((v) => v.toLowerCase());
	if (served.length === 0 || served.includes(vendor.toLowerCase())) return null;
	return `This node serves ${served.join(', ')}, not vendor "${vendor}": connect the router's output for "${vendor}" to that vendor's Provider Handoff node`;
}
