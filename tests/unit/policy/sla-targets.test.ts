import { describe, expect, it } from 'vitest';

import { parsePolicy } from '../../../domain/policy/parse';
import { compileSla } from '../../../domain/policy/sla';
import type { Ticket } from '../../../domain/ticket/ticket';

const minute = 60_000;
const CREATED = Date.UTC(2026, 5, 10, 12, 0);

/** A ticket created at CREATED with the given priority label (already read: trimmed, lower case) and no due time of its own. */
function ticket(priority: string | null): Ticket {
	return { id: 't', subject: '', body: '', tags: [], category: null, language: null, channel: null, priority, tier: null, region: null, createdAt: CREATED, dueAt: null, source: {} };
}

/** The SLA of a policy with these targets, through the same schema a pasted policy goes through. */
function slaOf(targetMinutes: Record<string, number>) {
	const policy = parsePolicy({ destinations: [{ id: 'team', kind: 'internal' }], defaultDestination: 'team', sla: { targetMinutes } });
	return compileSla(policy.sla);
}

/** Minutes from creation to the due time each label gets; null: no due time. */
function targetsFor(targetMinutes: Record<string, number>, labels: Array<string | null>) {
	const sla = slaOf(targetMinutes);
	return labels.map((label) => {
		const due = sla.dueAt(ticket(label));
		return due === null ? null : (due - CREATED) / minute;
	});
}

describe('SLA target of a priority the policy does not list', () => {
	it("a policy's own extra label (p0) keeps its target and never takes over the normal one", () => {
		// p0 is not a label the package knows, so it has only its own 15 minutes. A ticket without a priority, a
		// Freshdesk "medium" (normal level) and an unknown "blocker" all take normal's 1440; critical takes urgent's 60.
		const labels = [null, 'medium', 'blocker', 'p0', 'critical', 'normal', 'urgent'];
		const expected = [1440, 1440, 1440, 15, 60, 1440, 60];
		expect(targetsFor({ p0: 15, urgent: 60, normal: 1440 }, labels)).toEqual(expected);
		// The order the policy lists its labels in changes nothing (the policy version does not depend on it either).
		expect(targetsFor({ normal: 1440, urgent: 60, p0: 15 }, labels)).toEqual(expected);
	});

	it('a policy with only labels of its own gives no due time to other priorities', () => {
		// Neither p0 nor blocker says which urgency level it stands for, so no level has a target: a ticket without a
		// priority, or with one the policy does not list, has no due time (and never matches "due within").
		expect(targetsFor({ p0: 15, blocker: 5 }, [null, 'normal', 'urgent', 'p0', 'blocker'])).toEqual([null, null, null, 15, 5]);
	});

	it("the level's own name sets the target for its other labels, whichever label the policy lists first", () => {
		// p1 has its own 30 minutes; critical and emergency (urgent level, no target of their own) take urgent's 60.
		expect(targetsFor({ p1: 30, urgent: 60, p3: 600, normal: 1440 }, ['p1', 'critical', 'emergency', 'p3', 'medium', null])).toEqual([30, 60, 60, 600, 1440, 1440]);
	});

	it("without the level's own name, the strictest target among the level's known labels, in any order", () => {
		// urgent level: critical 45, p1 30 → emergency and urgent get 30; normal level: medium 600, p3 900 → a
		// ticket without a priority or with "normal" gets 600.
		const labels = ['emergency', 'urgent', 'critical', null, 'normal', 'p3'];
		const expected = [30, 30, 45, 600, 600, 900];
		expect(targetsFor({ critical: 45, p1: 30, p3: 900, medium: 600 }, labels)).toEqual(expected);
		expect(targetsFor({ p1: 30, critical: 45, medium: 600, p3: 900 }, labels)).toEqual(expected);
	});
});
