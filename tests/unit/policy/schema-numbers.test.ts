import { describe, expect, it } from 'vitest';
import type { ZodTypeAny } from 'zod';

import { loadPolicy } from '../../../domain/policy/compile';
import { parsePolicy, PolicyError } from '../../../domain/policy/parse';
import { policySchema } from '../../../domain/policy/schema';

const INFINITE = 'must be a finite number (1e400 and beyond read as Infinity)';

/** A valid policy that sets every number the schema has (`NUMBERS` marks where each one is). */
function everyNumber() {
	return {
		destinations: [
			{ id: 'team', kind: 'internal' },
			{
				id: 'a',
				kind: 'external',
				capacityPerHour: 10,
				capacityPerDay: 100,
				capacityPerMonth: 1000,
				costPerTicket: 2.5,
				monthlyBudget: 500,
				maxShare: 0.5,
				quality: { minSlaMetRate: 0.9, minAvgCsat: 4, maxReopenRate: 0.1, maxReturnRate: 0.1, lastResolved: 40, minSample: 10, recoverMargin: 0.05, recoverMarginCsat: 0.2 },
			},
			{ id: 'b', kind: 'external', quality: { minAvgCsat: 3.5, windowDays: 14 } },
		],
		rules: [
			{ id: 'soon', kind: 'specialist', when: { dueWithinMinutes: 30, conditions: [{ path: 'score', operator: 'greaterThan', value: 0.5 }] }, target: 'a' },
			{
				id: 'peak',
				kind: 'overflow',
				targets: [{ destination: 'a', weight: 3 }, 'b'],
				overflow: { capacityPerHour: 50, backlogLimit: 200, onAt: 1, offAt: 0.8, peakPeriods: [{ name: 'Sale', from: '2026-11-27', to: '2026-11-30', capacityPerHour: 40, backlogLimit: 150 }] },
			},
		],
		defaultDestination: 'team',
		guardrails: { shareWindowDays: 30, minVolumeForShareCap: 20 },
		sla: { targetMinutes: { urgent: 60, p0: 15 }, teamTicketsPerHour: 12 },
	};
}

/** Every number in `everyNumber()`, as the path an issue names. */
const NUMBERS = [
	'destinations[1].capacityPerHour',
	'destinations[1].capacityPerDay',
	'destinations[1].capacityPerMonth',
	'destinations[1].costPerTicket',
	'destinations[1].monthlyBudget',
	'destinations[1].maxShare',
	'destinations[1].quality.minSlaMetRate',
	'destinations[1].quality.minAvgCsat',
	'destinations[1].quality.maxReopenRate',
	'destinations[1].quality.maxReturnRate',
	'destinations[1].quality.lastResolved',
	'destinations[1].quality.minSample',
	'destinations[1].quality.recoverMargin',
	'destinations[1].quality.recoverMarginCsat',
	'destinations[2].quality.windowDays',
	'rules[0].when.dueWithinMinutes',
	'rules[1].targets[0].weight',
	'rules[1].overflow.capacityPerHour',
	'rules[1].overflow.backlogLimit',
	'rules[1].overflow.onAt',
	'rules[1].overflow.offAt',
	'rules[1].overflow.peakPeriods[0].capacityPerHour',
	'rules[1].overflow.peakPeriods[0].backlogLimit',
	'guardrails.shareWindowDays',
	'guardrails.minVolumeForShareCap',
	'sla.targetMinutes.urgent',
	'sla.targetMinutes.p0',
	'sla.teamTicketsPerHour',
];

/** The policy as JSON text with `literal` (e.g. 1e400, which JSON.parse reads as Infinity) written at `path`. */
function jsonWith(path: string, literal: string): string {
	const policy = everyNumber();
	const keys = path.match(/[^.[\]]+/g)!.map((k) => (/^\d+$/.test(k) ? Number(k) : k));
	let at: Record<string | number, unknown> = policy as never;
	for (const key of keys.slice(0, -1)) at = at[key] as never;
	const last = keys[keys.length - 1];
	expect(typeof at[last], path).toBe('number');
	at[last] = '@@NUMBER@@';
	return JSON.stringify(policy).replace('"@@NUMBER@@"', literal);
}

function issuesOf(input: unknown): string[] {
	try {
		parsePolicy(input);
		return [];
	} catch (error) {
		if (error instanceof PolicyError) return error.issues;
		throw error;
	}
}

/**
 * Every place in the schema that takes a number, generalised (`destinations[].quality.minAvgCsat`,
 * `sla.targetMinutes.*`), read from the schema itself so that a number added later is not missed; a number without
 * a finite check is marked `(not finite)`.
 */
function schemaNumbers(schema: ZodTypeAny, path: string, out: Set<string>): Set<string> {
	const def = schema._def as Record<string, unknown> & { typeName: string };
	const sub = (s: unknown, p = path) => schemaNumbers(s as ZodTypeAny, p, out);
	switch (def.typeName) {
		case 'ZodNumber':
			out.add((def.checks as Array<{ kind: string }>).some((c) => c.kind === 'finite') ? path : `${path} (not finite)`);
			break;
		case 'ZodOptional':
		case 'ZodNullable':
		case 'ZodDefault':
			sub(def.innerType);
			break;
		case 'ZodEffects':
			sub(def.schema);
			break;
		case 'ZodPipeline':
			// What comes out of `in` is checked by `out` only once `in` accepts it.
			sub(def.in);
			break;
		case 'ZodObject':
			for (const [key, value] of Object.entries((def.shape as () => Record<string, unknown>)())) sub(value, path ? `${path}.${key}` : key);
			break;
		case 'ZodArray':
			sub(def.type, `${path}[]`);
			break;
		case 'ZodRecord':
			sub(def.valueType, `${path}.*`);
			break;
		case 'ZodUnion':
			for (const option of def.options as unknown[]) sub(option);
			break;
	}
	return out;
}

describe('numbers in a policy', () => {
	it('every number the schema has is checked finite, and the policy below sets each one validly', () => {
		expect(issuesOf(everyNumber())).toEqual([]);
		const general = (path: string) => path.replace(/\[\d+\]/g, '[]').replace(/^sla\.targetMinutes\..*/, 'sla.targetMinutes.*');
		// Condition values (one or a list) belong to the conditions schema, which has its own tests.
		const covered = new Set([...NUMBERS.map(general), 'rules[].when.conditions[].value', 'rules[].when.conditions[].value[]']);
		expect([...schemaNumbers(policySchema, '', new Set())].sort()).toEqual([...covered].sort());
	});

	it('refuses 1e400 and -1e400 (Infinity once JSON is parsed) in every number, by path, with one message', () => {
		for (const path of NUMBERS) {
			for (const literal of ['1e400', '-1e400']) {
				const issues = issuesOf(jsonWith(path, literal));
				expect(issues, `${path} = ${literal}`).toEqual([`${path}: ${INFINITE}`]);
			}
		}
	});

	it('a vendor priced 1e400 never reaches routing: loading the policy fails naming the field', () => {
		const text = '{"destinations":[{"id":"team","kind":"internal"},{"id":"v","kind":"external","costPerTicket":1e400,"monthlyBudget":1e400}],"defaultDestination":"team"}';
		expect(() => loadPolicy(text)).toThrow(PolicyError);
		expect(issuesOf(text)).toEqual([`destinations[1].costPerTicket: ${INFINITE}`, `destinations[1].monthlyBudget: ${INFINITE}`]);
	});

	it("refuses a team pace below 0.01 tickets an hour (one every 100 hours), by path; 0.01 is the slowest it takes", () => {
		const withPace = (teamTicketsPerHour: number) => ({ destinations: [{ id: 'team', kind: 'internal' }], defaultDestination: 'team', sla: { teamTicketsPerHour } });
		const refused = 'sla.teamTicketsPerHour: must be at least 0.01 (one ticket every 100 hours)';
		expect(issuesOf(withPace(1e-12))).toEqual([refused]);
		expect(issuesOf(withPace(0.009))).toEqual([refused]);
		expect(issuesOf(withPace(0))).toEqual([refused]);
		expect(issuesOf(withPace(0.01))).toEqual([]);
		expect(parsePolicy(withPace(0.01)).sla?.teamTicketsPerHour).toBe(0.01);
	});
});
