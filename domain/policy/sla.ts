import { priorityRank } from '../ticket/priority';
import type { Ticket } from '../ticket/ticket';
import type { SlaSettings } from './schema';

/** The policy's service levels, compiled: a ticket's due time and the team's pace. */
export interface CompiledSla {
	/** The helpdesk's due time, else creation time + the policy's target for the ticket's priority, else null. */
	dueAt(ticket: Ticket): number | null;
	/** Minutes the team needs per ticket (60 / tickets per hour), or null when the policy gives no pace. */
	minutesPerTicket: number | null;
}

export function compileSla(sla: SlaSettings | undefined): CompiledSla {
	const targets = new Map<string, number>();
	for (const [label, minutes] of Object.entries(sla?.targetMinutes ?? {})) targets.set(label.trim().toLowerCase(), minutes * 60_000);
	// A priority with no target of its own (or none at all) takes the target given for its urgency level:
	// `p1` that of `urgent`, an unknown or missing priority that of `normal`, as priorityRank ranks them.
	const byRank = new Map<number, number>();
	for (const [label, ms] of targets) if (!byRank.has(priorityRank(label))) byRank.set(priorityRank(label), ms);
	return {
		minutesPerTicket: sla?.teamTicketsPerHour ? 60 / sla.teamTicketsPerHour : null,
		dueAt: (ticket) => {
			if (ticket.dueAt !== null) return ticket.dueAt;
			if (ticket.createdAt === null || targets.size === 0) return null;
			const target = (ticket.priority !== null ? targets.get(ticket.priority) : undefined) ?? byRank.get(priorityRank(ticket.priority));
			return target === undefined ? null : ticket.createdAt + target;
		},
	};
}
