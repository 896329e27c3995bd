import { priorityRank } from '../ticket/priority';
import type { Ticket } from '../ticket/ticket';

/**
 * Which backlog tickets the team keeps: the most urgent first, then the oldest, up to capacity.
 * Tickets without a creation time sort after dated ones of the same urgency; ties keep input order.
 */
export function keptWithinCapacity(tickets: Ticket[], capacity: number): Set<number> {
	const order = tickets.map((_, i) => i);
	order.sort((a, b) => {
		const ta = tickets[a];
		const tb = tickets[b];
		const byRank = priorityRank(tb.priority) - priorityRank(ta.priority);
		if (byRank !== 0) return byRank;
		const ca = ta.createdAt ?? Infinity;
		const cb = tb.createdAt ?? Infinity;
		if (ca !== cb) return ca < cb ? -1 : 1;
		return a - b;
	});
	return new Set(order.slice(0, Math.max(0, Math.floor(capacity))));
}
