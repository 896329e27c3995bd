import type { CompiledSla } from '../policy/sla';
import { priorityRank } from '../ticket/priority';
import type { Ticket } from '../ticket/ticket';

/** What a backlog sweep does with its tickets. */
export interface SweepPlan {
	/** Indexes (into the given tickets) the team keeps. */
	kept: Set<number>;
	/** Every index, most urgent first: the order the batch is decided in, so vendors' caps go to the most urgent. */
	order: number[];
	/** Why a ticket was not kept, for its matched terms. */
	notes: Map<number, string>;
}

/**
 * Which backlog tickets the team keeps. Most urgent first: earliest SLA due time (tickets without one after all
 * that have one), then priority, then age (oldest first; undated last), then input order. Walking that order, the
 * team keeps a ticket while it has capacity left and can still meet the ticket's due time: with a pace in the
 * policy (sla.teamTicketsPerHour) the k-th ticket kept is reached k / pace hours from now, without one the team
 * can meet any ticket not yet due. A ticket the team cannot meet in time is delegated by the policy instead, and
 * the capacity it would have used stays for the next one.
 */
export function sweepPlan(tickets: Ticket[], capacity: number, sla: CompiledSla, now: number): SweepPlan {
	const due = tickets.map((t) => sla.dueAt(t));
	const order = tickets.map((_, i) => i);
	order.sort((a, b) => {
		const da = due[a] ?? Infinity;
		const db = due[b] ?? Infinity;
		if (da !== db) return da < db ? -1 : 1;
		const byRank = priorityRank(tickets[b].priority) - priorityRank(tickets[a].priority);
		if (byRank !== 0) return byRank;
		const ca = tickets[a].createdAt ?? Infinity;
		const cb = tickets[b].createdAt ?? Infinity;
		if (ca !== cb) return ca < cb ? -1 : 1;
		return a - b;
	});
	const limit = Math.max(0, Math.floor(capacity));
	const perTicketMs = sla.minutesPerTicket === null ? 0 : sla.minutesPerTicket * 60_000;
	const kept = new Set<number>();
	const notes = new Map<number, string>();
	for (const i of order) {
		if (kept.size >= limit) {
			notes.set(i, `sweep:past internal capacity (${limit})`);
			continue;
		}
		const dueAt = due[i];
		const reached = now + (kept.size + 1) * perTicketMs;
		if (dueAt !== null && reached > dueAt) {
			notes.set(
				i,
				perTicketMs > 0
					? `sweep:SLA due ${iso(dueAt)}, the team would reach it at ${iso(reached)}`
					: `sweep:SLA due ${iso(dueAt)}, already past`,
			);
			continue;
		}
		kept.add(i);
	}
	return { kept, order, notes };
}

function iso(ms: number): string {
	return new Date(ms).toISOString();
}
