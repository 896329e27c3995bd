import { KNOWN_PRIORITIES, priorityRank } from '../ticket/priority';
import type { Ticket } from '../ticket/ticket';
import type { SlaSettings } from './schema';

/** The policy's service levels, compiled: a ticket's due time and the team's pace. */
export interface CompiledSla {
	/** The helpdesk's due time, else creation time + the policy's target for the ticket's priority, else null. */
	dueAt(ticket: Ticket): number | null;
	/** Minutes the team needs per ticket (60 / tickets per hour), or null when the policy gives no pace. */
	minutesPerTicket: number | null;
}

/** The name of each urgency level, as priorityRank ranks them: the label whose target the level's other labels take. */
const LEVEL_NAMES = ['urgent', 'high', 'normal', 'low'] as const;
const KNOWN = new Set(KNOWN_PRIORITIES);

export function compileSla(sla: SlaSettings | undefined): CompiledSla {
	const targets = new Map<string, number>();
	for (const [label, minutes] of Object.entries(sla?.targetMinutes ?? {})) targets.set(label.trim().toLowerCase(), minutes * 60_000);
	const byLevel = levelTargets(targets);
	return {
		minutesPerTicket: sla?.teamTicketsPerHour ? 60 / sla.teamTicketsPerHour : null,
		dueAt: (ticket) => {
			if (ticket.dueAt !== null) return ticket.dueAt;
			if (ticket.createdAt === null || targets.size === 0) return null;
			const target = (ticket.priority !== null ? targets.get(ticket.priority) : undefined) ?? byLevel.get(priorityRank(ticket.priority));
			return target === undefined ? null : ticket.createdAt + target;
		},
	};
}

/**
 * The target a priority without one of its own takes: that of its urgency level as priorityRank ranks it (`p1`,
 * `critical` → urgent; `medium`, an unknown or a missing priority → normal). A level's target is that of its name
 * (`urgent`, `high`, `normal`, `low`) when the policy gives it, else the strictest (shortest) target among the
 * labels of that level the package knows (`p1`, `critical`…), whatever order the policy lists them in. A label the
 * package does not know (`p0`, `blocker`) has only its own target: it says nothing about a level.
 */
function levelTargets(targets: ReadonlyMap<string, number>): Map<number, number> {
	const byLevel = new Map<number, number>();
	for (const [label, ms] of targets) {
		if (!KNOWN.has(label)) continue;
		const level = priorityRank(label);
		const current = byLevel.get(level);
		if (current === undefined || ms < current) byLevel.set(level, ms);
	}
	for (const name of LEVEL_NAMES) {
		const ms = targets.get(name);
		if (ms !== undefined) byLevel.set(priorityRank(name), ms);
	}
	return byLevel;
}
