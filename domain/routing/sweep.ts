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
					? `sweep:SLA due ${iso(dueAt)}, the team would reach it ${iso(reached, 'at ')}`
					: `sweep:SLA due ${iso(dueAt)}, already past`,
			);
			continue;
		}
		kept.add(i);
	}
	return { kept, order, notes };
}

/** The range of a Date: 8.64e15 ms either side of 1970 (years −271821 to 275760). */
const DATE_LIMIT_MS = 8.64e15;

/**
 * A time for a note (`2026-06-10T12:15:00.000Z`, after `inRange`), capped at the range of a Date (`after
 * +275760-09-13T00:00:00.000Z`): a pace or a target far enough out gives a time `toISOString` would throw on, and
 * a note must never fail the batch. The schema refuses the values it knows lead there; this is the second line.
 */
function iso(ms: number, inRange = ''): string {
	if (ms > DATE_LIMIT_MS) return `after ${new Date(DATE_LIMIT_MS).toISOString()}`;
	if (ms < -DATE_LIMIT_MS) return `before ${new Date(-DATE_LIMIT_MS).toISOString()}`;
	if (Number.isNaN(ms)) return 'at an unknown time';
	return `${inRange}${new Date(ms).toISOString()}`;
}
