import type { RiskAlert, RiskReport } from './report';
import type { RiskLevel } from './thresholds';
import { levelRank } from './thresholds';

/** Last level emitted per alert id. Only subjects above ok are kept, so the state stays small. */
export type LevelMemory = Record<string, RiskLevel>;

export type TransitionKind = 'escalated' | 'eased' | 'recovered';

export interface RiskTransition {
	id: string;
	kind: TransitionKind;
	from: RiskLevel;
	to: RiskLevel;
	/** The current alert; null when the subject recovered to ok. */
	alert: RiskAlert | null;
	message: string;
}

/**
 * What changed since the levels last emitted: a subject that rose a level (escalated), fell but is
 * still flagged (eased) or is back to ok (recovered). Unchanged subjects produce nothing, so a trigger
 * polling every hour stays quiet while a vendor sits at the same level.
 */
export function riskTransitions(report: RiskReport, memory: LevelMemory): { transitions: RiskTransition[]; memory: LevelMemory } {
	const next: LevelMemory = {};
	const transitions: RiskTransition[] = [];
	const current = new Map(report.alerts.map((a) => [a.id, a]));
	for (const alert of report.alerts) {
		next[alert.id] = alert.level;
		const from = memory[alert.id] ?? 'ok';
		if (from === alert.level) continue;
		const kind: TransitionKind = levelRank(alert.level) > levelRank(from) ? 'escalated' : 'eased';
		const message = kind === 'escalated' ? alert.message : `EASED from ${from}: ${alert.message}`;
		transitions.push({ id: alert.id, kind, from, to: alert.level, alert, message });
	}
	for (const [id, from] of Object.entries(memory)) {
		if (current.has(id) || from === 'ok') continue;
		transitions.push({ id, kind: 'recovered', from, to: 'ok', alert: null, message: `RECOVERED: ${describe(id)} is back to ok (was ${from}).` });
	}
	return { transitions, memory: next };
}

function describe(id: string): string {
	const colon = id.indexOf(':');
	if (colon < 0) return id === 'concentration' ? 'Vendor concentration' : id;
	const subject = id.slice(0, colon);
	return `${subject.charAt(0).toUpperCase()}${subject.slice(1)} "${id.slice(colon + 1)}"`;
}
