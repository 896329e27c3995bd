import type { DelegationRecord, LedgerSnapshot, NewDelegation, SnapshotRequest } from '../../ledger/model';
import type { CompiledPolicy } from '../policy/compile';
import { startOfMonth, zonedTime } from '../policy/time';
import type { Ticket } from '../ticket/ticket';
import { Chooser } from './choose';
import type { Delegation } from './delegation';
import { batchIds, delegationOf, fromRecord, rowOf, type BatchContext } from './records';
import { keptWithinCapacity } from './sweep';

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
	/** Sweep backlog: the team keeps this many (most urgent, then oldest); the rest are delegated by the policy. */
	sweepCapacity?: number;
	workflowId?: string | null;
	executionId?: string | null;
	newId?: () => string;
}

export interface BatchDecision {
	/** One per input ticket, same order. */
	delegations: Delegation[];
	/** The rows to record: one per ticket newly decided (not for existing decisions or in-batch duplicates). */
	rows: NewDelegation[];
	overflowActive: Record<string, boolean>;
}

/** The counts a batch needs, for `ledger.routeBatch` or `ledger.snapshot`. */
export function snapshotRequest(policy: CompiledPolicy, tickets: Ticket[], now: number): SnapshotRequest {
	return {
		now,
		ticketIds: [...new Set(tickets.map((t) => t.id))],
		vendors: policy.externalIds,
		internalWindowMs: HOUR,
		shareWindowMs: policy.policy.guardrails.shareWindowDays * DAY,
		monthStart: startOfMonth(now, policy.timezone),
	};
}

/** A snapshot with nothing in it: what a batch decides on when the ledger cannot be read. */
export function emptySnapshot(now: number): LedgerSnapshot {
	return { now, internalInWindow: 0, delegatedInShareWindow: 0, vendors: {}, overflowActive: {}, open: {} };
}

/**
 * Decides a whole batch: pure and synchronous, so a ledger can run it inside its transaction. In four steps:
 * 1. tickets with an open decision keep it (unless re-routing), and a ticket twice in the batch is decided once;
 * 2. a sweep picks the tickets the team keeps;
 * 3. every other ticket is chosen for in input order (the Chooser: rules, then guardrails on the running counts);
 * 4. overflow hysteresis settles on the final load, and duplicates copy their first occurrence.
 */
export function decide(tickets: Ticket[], policy: CompiledPolicy, snapshot: LedgerSnapshot, options: DecideOptions): BatchDecision {
	const now = options.now;
	const ledgerAvailable = options.ledgerAvailable ?? true;
	const batch: BatchContext = {
		policy,
		decidedAt: new Date(now).toISOString(),
		ledger: !ledgerAvailable ? 'unavailable' : options.dryRun ? 'dry-run' : 'recorded',
		newId: options.newId ?? batchIds(),
	};
	const origin = { workflowId: options.workflowId ?? null, executionId: options.executionId ?? null };
	const sweeping = options.sweepCapacity !== undefined;
	const loadGiven = typeof options.load === 'number' && Number.isFinite(options.load);
	const chooser = new Chooser(policy, snapshot, zonedTime(now, policy.timezone), {
		load: loadGiven ? options.load! : null,
		countsKnown: ledgerAvailable,
		sweeping,
	});
	// Usually empty or small; a Map keeps 10,000 lookups cheap and immune to ids like "constructor".
	const open = new Map(Object.entries(snapshot.open));

	const delegations = new Array<Delegation>(tickets.length);
	const { fresh, firstOf } = standingDecisions(tickets, open, options.reroute === true, (i, record) => {
		delegations[i] = fromRecord(record, tickets[i], policy);
	});
	const kept = sweeping ? keptIndexes(tickets, fresh, options.sweepCapacity!) : null;

	const rows: NewDelegation[] = [];
	for (const i of fresh) {
		const ticket = tickets[i];
		const choice = chooser.choose(ticket, kept?.has(i) ?? false);
		const delegation = delegationOf(choice, ticket, open.get(ticket.id), batch);
		delegations[i] = delegation;
		rows.push(rowOf(delegation, ticket, now, origin));
	}

	const overflowActive = chooser.settleOverflow();
	tickets.forEach((ticket, i) => {
		if (delegations[i] === undefined) delegations[i] = { ...delegations[firstOf.get(ticket.id)!] };
	});
	return { delegations, rows, overflowActive };
}

/**
 * Step 1: which tickets need a decision (`fresh`, first occurrences in input order) and where each ticket id first
 * appears. A ticket with an open decision gets it back through `standing` unless the batch re-routes.
 */
function standingDecisions(
	tickets: Ticket[],
	open: Map<string, DelegationRecord>,
	reroute: boolean,
	standing: (index: number, record: DelegationRecord) => void,
): { fresh: number[]; firstOf: Map<string, number> } {
	const firstOf = new Map<string, number>();
	const fresh: number[] = [];
	tickets.forEach((ticket, i) => {
		if (firstOf.has(ticket.id)) return;
		firstOf.set(ticket.id, i);
		const record = open.get(ticket.id);
		if (record && !reroute) standing(i, record);
		else fresh.push(i);
	});
	return { fresh, firstOf };
}

/** Step 2: the indexes (into `tickets`) a sweep keeps in-house, chosen among the fresh ones. */
function keptIndexes(tickets: Ticket[], fresh: number[], capacity: number): Set<number> {
	const kept = keptWithinCapacity(
		fresh.map((i) => tickets[i]),
		capacity,
	);
	return new Set([...kept].map((k) => fresh[k]));
}
