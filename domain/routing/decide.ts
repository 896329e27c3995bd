import type { DelegationRecord, LedgerSnapshot, NewDelegation, RecordedTerms, SnapshotRequest } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import { momentOf } from '../policy/moment';
import { startOfMonth } from '../policy/time';
import { isoInstant } from '../time/civil';
import type { Ticket } from '../ticket/ticket';
import { Chooser } from './choose';
import type { Delegation } from './delegation';
import { BatchExplanations } from './explain';
import { BatchTerms, batchIds, explainedDelegation, fromRecord, recordedTerms, rowOf, type BatchContext } from './records';
import { ledgerLabels } from './labels';
import { qualitySamples } from './quality';
import { sweepPlan, type SweepPlan } from './sweep';
import { dictionary } from '../shared/dictionary';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface DecideOptions {
	now: number;
	/** Nothing will be written: delegations say `dry-run`. */
	dryRun?: boolean;
	/** Decide again tickets that already have an open decision (a new row linked to the previous one). */
	reroute?: boolean;
	/** Current load given for this execution (e.g. a backlog count); when absent, load is counted from the ledger. */
	load?: number | null;
	/** False when the ledger is unavailable: count-based guardrails are skipped and delegations say `unavailable`. */
	ledgerAvailable?: boolean;
	/** Sweep backlog: the team keeps up to this many (most urgent first, SLA permitting); the rest are delegated by the policy. */
	sweepCapacity?: number;
	workflowId?: string | null;
	executionId?: string | null;
	newId?: () => string;
	/** The batch's `firstOccurrences`, when its snapshot request was made from them: one map of every ticket, not two. */
	firstOf?: ReadonlyMap<string, number>;
	/**
	 * Rows handed over while the batch is still being decided, `every` decisions at a time (a recorded batch only): a
	 * ledger on a server writes them meanwhile. Those rows are not in the decision's `rows`, which holds the rest.
	 */
	rowsAhead?: { every: number; send: (rows: NewDelegation[]) => void };
}

export interface BatchDecision {
	/** One per input ticket, same order. */
	delegations: Delegation[];
	/**
	 * The rows to record: one per ticket newly decided (not for existing decisions or in-batch duplicates); none in a
	 * dry run, where nothing is recorded. With `rowsAhead`, those not handed over already.
	 */
	rows: NewDelegation[];
	overflowActive: Record<string, boolean>;
	/** Quality guardrail state per guarded vendor after this batch (true: below, its tickets diverted). */
	qualityBelow: Record<string, boolean>;
	/** The terms of the vendors the batch's rows (those handed ahead too) delegate to, to record with them. */
	terms: RecordedTerms[];
}

/**
 * Where each ticket id first appears in the batch. The snapshot request asks for these ids and decide skips the later
 * occurrences: the router makes the map once for both (another set of a 100,000-ticket batch's ids held ~5 MB).
 */
export function firstOccurrences(tickets: readonly Ticket[]): Map<string, number> {
	const firstOf = new Map<string, number>();
	for (let i = 0; i < tickets.length; i++) {
		const id = tickets[i].id;
		if (!firstOf.has(id)) firstOf.set(id, i);
	}
	return firstOf;
}

/** The counts a batch needs, for `ledger.routeBatch` or `ledger.snapshot`. */
export function snapshotRequest(
	policy: CompiledPolicy,
	tickets: Ticket[],
	now: number,
	firstOf: ReadonlyMap<string, number> = firstOccurrences(tickets),
): SnapshotRequest {
	return {
		now,
		ticketIds: [...firstOf.keys()],
		vendors: policy.externalIds,
		internalWindowMs: HOUR,
		shareWindowMs: policy.policy.guardrails.shareWindowDays * DAY,
		monthStart: startOfMonth(now, policy.timezone),
		quality: qualitySamples(policy, now),
	};
}

/** The request of a batch to decide: snapshotRequest, without the windows when the policy decides on no count. */
export function batchRequest(
	policy: CompiledPolicy,
	tickets: Ticket[],
	now: number,
	firstOf: ReadonlyMap<string, number> = firstOccurrences(tickets),
): SnapshotRequest {
	const request = snapshotRequest(policy, tickets, now, firstOf);
	if (!policy.usesCounts) request.counts = false;
	// No count and no quality sample: nothing in the snapshot but the tickets' own decisions can change a decision.
	if (!policy.usesCounts && !request.quality?.length) request.ticketsOnly = true;
	return request;
}

/** A snapshot with nothing in it: what a batch decides on when the ledger cannot be read. */
export function emptySnapshot(now: number): LedgerSnapshot {
	return { now, internalInWindow: 0, delegatedInShareWindow: 0, vendors: dictionary(), overflowActive: dictionary(), open: dictionary() };
}

/**
 * Decides a whole batch: pure and synchronous, so a ledger can run it inside its transaction. In four steps:
 * 1. tickets with an open decision keep it (unless re-routing), and a ticket twice in the batch is decided once;
 * 2. a sweep picks the tickets the team keeps and puts the batch in urgency order;
 * 3. every ticket is chosen for in input order, or a sweep's urgency order (the Chooser: rules, then the rule's
 *    strategy, then guardrails on the running counts);
 * 4. overflow hysteresis settles on the final load, and duplicates copy their first occurrence.
 */
export function decide(tickets: Ticket[], policy: CompiledPolicy, snapshot: LedgerSnapshot, options: DecideOptions): BatchDecision {
	const now = options.now;
	const ledgerAvailable = options.ledgerAvailable ?? true;
	const batch: BatchContext = {
		policy,
		decidedAt: isoInstant(now),
		ledger: !ledgerAvailable ? 'unavailable' : options.dryRun ? 'dry-run' : 'recorded',
		newId: options.newId ?? batchIds(),
		explanations: new BatchExplanations(),
	};
	const origin = { workflowId: options.workflowId ?? null, executionId: options.executionId ?? null };
	const labels = ledgerLabels(policy);
	const terms = new BatchTerms();
	const sweeping = options.sweepCapacity !== undefined;
	const loadGiven = typeof options.load === 'number' && Number.isFinite(options.load);
	const chooser = new Chooser(policy, snapshot, momentOf(now, policy.timezone, policy.schedules), {
		load: loadGiven ? options.load! : null,
		countsKnown: ledgerAvailable,
		sweeping,
	});
	// Usually empty or small; a Map keeps 10,000 lookups cheap and immune to ids like "constructor".
	const open = new Map(Object.entries(snapshot.open));

	const delegations = new Array<Delegation>(tickets.length);
	const firstOf = options.firstOf ?? firstOccurrences(tickets);
	const fresh = standingDecisions(tickets, firstOf, open, options.reroute === true, (i, record) => {
		delegations[i] = fromRecord(record, tickets[i], policy);
	});
	const sweep = sweeping ? sweepOf(tickets, fresh, options.sweepCapacity!, policy, now) : null;

	const order = sweep?.order ?? fresh;
	// One row per fresh ticket, in the order decided: made once every ticket is decided, or with rowsAhead once each
	// group of `every` is (a decision is final when made; later ones only move the counts). Made alongside their
	// delegations, a 100,000-ticket batch's rows lived through every collection of the decisions and were moved to the
	// old generation (~19 MB of it at the write); made here they mostly die young.
	const vendors = new Set<string>();
	const rowsOf = (from: number, to: number) => {
		const made = new Array<NewDelegation>(to - from);
		for (let k = from; k < to; k++) {
			const row = rowOf(delegations[order[k]], tickets[order[k]], now, origin, labels, terms);
			if (row.vendor) vendors.add(row.vendor);
			made[k - from] = row;
		}
		return made;
	};
	const ahead = options.dryRun ? undefined : options.rowsAhead;
	let sent = 0;
	for (let k = 0; k < order.length; k++) {
		const i = order[k];
		const ticket = tickets[i];
		const choice = chooser.choose(ticket, sweep?.kept.has(i) ?? false, sweep?.notes.get(i));
		delegations[i] = explainedDelegation(choice, ticket, open.get(ticket.id), batch);
		if (ahead && k + 1 - sent === ahead.every) {
			ahead.send(rowsOf(sent, k + 1));
			sent = k + 1;
		}
	}
	const rows = options.dryRun ? [] : rowsOf(sent, order.length);

	const overflowActive = chooser.settleOverflow();
	tickets.forEach((ticket, i) => {
		if (delegations[i] === undefined) delegations[i] = { ...delegations[firstOf.get(ticket.id)!] };
	});
	return { delegations, rows, overflowActive, qualityBelow: chooser.qualityBelow, terms: recordedTerms(policy, vendors) };
}

/**
 * Step 1: which tickets need a decision (`fresh`: first occurrences in input order). A ticket with an open decision
 * gets it back through `standing` unless the batch re-routes.
 */
function standingDecisions(
	tickets: Ticket[],
	firstOf: ReadonlyMap<string, number>,
	open: Map<string, DelegationRecord>,
	reroute: boolean,
	standing: (index: number, record: DelegationRecord) => void,
): number[] {
	// Made at its largest and cut: grown by push, a 100,000-entry list left its outgrown copies behind until a full collection.
	const fresh = new Array<number>(tickets.length);
	let count = 0;
	tickets.forEach((ticket, i) => {
		if (firstOf.get(ticket.id) !== i) return;
		const record = open.get(ticket.id);
		if (record && !reroute) standing(i, record);
		else fresh[count++] = i;
	});
	fresh.length = count;
	return fresh;
}

/** Step 2: the sweep's plan over the fresh tickets, with indexes into `tickets`. */
function sweepOf(tickets: Ticket[], fresh: number[], capacity: number, policy: CompiledPolicy, now: number): SweepPlan {
	const plan = sweepPlan(
		fresh.map((i) => tickets[i]),
		capacity,
		policy.sla,
		now,
	);
	return {
		kept: new Set([...plan.kept].map((k) => fresh[k])),
		order: plan.order.map((k) => fresh[k]),
		notes: new Map([...plan.notes].map(([k, note]) => [fresh[k], note])),
	};
}
