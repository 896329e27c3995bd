import { z } from 'zod';
import { isTimeZone } from '../time/zone';
import { conditionSchema } from './conditions/schema';
import { keywordProblem } from './keywords';
import { checkSchedules, scheduleSchema } from './schedules/schema';
import { splitList } from './list';
import { clock, isoDate, WEEKDAYS } from './primitives';

export { WEEKDAYS, type Weekday } from './primitives';

export const RULE_KINDS = ['keepInternal', 'specialist', 'outsourcing', 'overflow'] as const;
export type RuleKind = (typeof RULE_KINDS)[number];

const id = z.string().trim().min(1, 'must not be empty').max(200, 'must be at most 200 characters');
const text = z.string().trim().min(1, 'must not be empty');

/**
 * Every number in a policy is finite first: JSON reads 1e400 as Infinity, which passes a lower bound and then breaks
 * whatever the number feeds (a cost that cannot be stored, a time past the range of a Date). Only a finite number
 * is checked against its bounds, so each value gets one message.
 */
const number = (bounds: (n: z.ZodNumber) => z.ZodNumber = (n) => n) =>
	z.number().finite('must be a finite number (1e400 and beyond read as Infinity)').pipe(bounds(z.number()));
const count = number((n) => n.int('must be a whole number').min(0, 'must be 0 or more'));
const positive = number((n) => n.int('must be a whole number').min(1, 'must be 1 or more'));
const aboveZero = number((n) => n.positive('must be above 0'));
const zeroOrMore = number((n) => n.min(0, 'must be 0 or more'));
const days = number((n) => n.positive('must be above 0').max(366, 'must be at most 366'));

/** Lists accept an array or, for hand-written policies and editor fields, one comma-separated string. */
const listOf = (value: unknown) => (typeof value === 'string' || Array.isArray(value) ? splitList(value) : value);
const labels = z.preprocess(listOf, z.array(z.string()).transform((list) => [...new Set(list.map((s) => s.toLowerCase()))]));
const keyword = z
	.string()
	.max(200, 'must be at most 200 characters')
	.superRefine((term, ctx) => {
		const problem = keywordProblem(term);
		if (problem !== null) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
	});
const keywords = z.preprocess(listOf, z.array(keyword));

const fraction = number((n) => n.min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1'));

/**
 * Quality guardrail of an external destination: limits on the outcomes of its finished (resolved or returned)
 * delegations, over the last N of them or those decided in a rolling window. A vendor out of a limit gets no new
 * tickets (they are diverted like any guardrail's) until its figures clear the limit by the recovery margin.
 */
export const qualitySchema = z
	.object({
		minSlaMetRate: fraction.optional(),
		minAvgCsat: zeroOrMore.optional(),
		maxReopenRate: fraction.optional(),
		maxReturnRate: fraction.optional(),
		/** The sample: the last N finished delegations (the default, 50)… */
		lastResolved: positive.optional(),
		/** …or those decided in the last this many days. */
		windowDays: days.optional(),
		/** A limit applies once its figure is computed from at least this many outcomes. */
		minSample: positive.default(20),
		/** Once below, rates must clear their limit by this many fraction points to recover (0.05 = 5 points). */
		recoverMargin: fraction.default(0.05),
		/** Once below, average CSAT must clear its limit by this much to recover. */
		recoverMarginCsat: zeroOrMore.default(0.2),
	})
	.strict();

export const DEFAULT_QUALITY_SAMPLE = 50;

export const destinationSchema = z
	.object({
		id,
		name: z.string().trim().optional(),
		kind: z.enum(['internal', 'external']),
		contract: z.enum(['specialist', 'capacity', 'outsourcing']).optional(),
		capacityPerHour: positive.optional(),
		capacityPerDay: positive.optional(),
		capacityPerMonth: positive.optional(),
		costPerTicket: zeroOrMore.default(0),
		monthlyBudget: zeroOrMore.optional(),
		maxShare: fraction.optional(),
		paused: z.boolean().default(false),
		dpa: z.boolean().default(false),
		dataRegions: labels.default([]),
		allowedFields: z.array(text).default([]),
		quality: qualitySchema.optional(),
	})
	.strict();

export const timeWindowSchema = z
	.object({
		days: z.array(z.enum(WEEKDAYS)).min(1, 'needs at least one day').default([...WEEKDAYS]),
		from: clock,
		to: clock,
	})
	.strict();

export const conditionsSchema = z
	.object({
		keywords: keywords.optional(),
		tags: labels.optional(),
		categories: labels.optional(),
		languages: labels.optional(),
		channels: labels.optional(),
		priorities: labels.optional(),
		tiers: labels.optional(),
		regions: labels.optional(),
		timeWindows: z.array(timeWindowSchema).optional(),
		/** Conditions on any path of the ticket item (`intent`, `custom_fields.plan`): all must hold. */
		conditions: z.array(conditionSchema).optional(),
		/** Holds while the named schedule is open (business hours, not a holiday). */
		withinSchedule: id.optional(),
		/** Holds while the named schedule is closed: nights, weekends, holidays. */
		outsideSchedule: id.optional(),
		/** Holds when the ticket's SLA is due within this many minutes (overdue included). */
		dueWithinMinutes: count.optional(),
	})
	.strict();

const thresholds = {
	capacityPerHour: positive.optional(),
	backlogLimit: positive.optional(),
};

/** A period with its own thresholds: between two dates, while a schedule is open or closed, or both. */
export const peakPeriodSchema = z
	.object({
		name: text,
		from: isoDate.optional(),
		to: isoDate.optional(),
		withinSchedule: id.optional(),
		outsideSchedule: id.optional(),
		...thresholds,
	})
	.strict();

export const overflowSchema = z
	.object({
		...thresholds,
		/** Overflow switches on when load reaches this fraction of the threshold… */
		onAt: aboveZero.default(1),
		/** …and off only once load falls below this one: the gap is what stops routing from flapping. */
		offAt: zeroOrMore.default(0.8),
		peakPeriods: z.array(peakPeriodSchema).default([]),
	})
	.strict();

/**
 * How a rule with several targets picks one: in the order given (the first the guardrails allow), by weight
 * (deterministic per ticket), or to the one with the most room left under its caps.
 */
export const STRATEGIES = ['inOrder', 'weighted', 'spareCapacity'] as const;
export type Strategy = (typeof STRATEGIES)[number];

const targetSchema = z.union([
	id,
	z.object({ destination: id, weight: aboveZero.default(1) }).strict(),
]);

export const ruleSchema = z
	.object({
		id,
		name: z.string().trim().optional(),
		kind: z.enum(RULE_KINDS),
		enabled: z.boolean().default(true),
		when: conditionsSchema.default({}),
		target: id.optional(),
		targets: z.array(targetSchema).optional(),
		/** Default: weighted for overflow rules, inOrder for the others. */
		strategy: z.enum(STRATEGIES).optional(),
		overflow: overflowSchema.optional(),
	})
	.strict();

/**
 * Service levels: a due time computed from the ticket's creation time and priority when the helpdesk sends none,
 * and the team's pace, which tells a backlog sweep whether the team can still meet a ticket's due time.
 */
export const slaSchema = z
	.object({
		/** Minutes from creation to due time, per priority label (`urgent`, `high`, `p1`…; case-insensitive). */
		targetMinutes: z.record(z.string(), aboveZero).optional(),
		/**
		 * How many tickets the team finishes per hour: ticket k of the team's queue is reached after k / pace hours.
		 * At least 0.01, one ticket every 100 hours (about 1.7 a week): slower is no working pace (no SLA target from
		 * minutes to days could be met), most likely a per-day or per-week figure typed per hour; it also keeps every
		 * time the sweep computes well inside what a Date can hold (1.4 billion tickets' worth).
		 */
		teamTicketsPerHour: number((n) => n.min(0.01, 'must be at least 0.01 (one ticket every 100 hours)')).optional(),
	})
	.strict();

export const guardrailsSchema = z
	.object({
		shareWindowDays: days.default(30),
		minVolumeForShareCap: count.default(20),
	})
	.strict();

const policyObject = z
	.object({
		scope: id.default('default'),
		timezone: z.string().trim().default('UTC'),
		destinations: z.array(destinationSchema).min(1, 'needs at least one destination'),
		rules: z.array(ruleSchema).default([]),
		defaultDestination: id,
		guardrails: guardrailsSchema.default({}),
		/** Named business-hours calendars that rules and peak periods refer to. */
		schedules: z.array(scheduleSchema).optional(),
		sla: slaSchema.optional(),
	})
	.strict();

export const policySchema = policyObject.superRefine(checkReferences);

export type PolicyInput = z.input<typeof policySchema>;
export type Policy = z.output<typeof policySchema>;
export type Destination = Policy['destinations'][number];
export type Rule = Policy['rules'][number];
export type Conditions = Rule['when'];
export type TimeWindow = z.output<typeof timeWindowSchema>;
export type OverflowSettings = z.output<typeof overflowSchema>;
export type PeakPeriod = z.output<typeof peakPeriodSchema>;
export type Schedule = NonNullable<Policy['schedules']>[number];
export type SlaSettings = z.output<typeof slaSchema>;
export type QualitySettings = z.output<typeof qualitySchema>;

type Ctx = z.RefinementCtx;

/** Cross-references zod cannot express field by field; each issue names its exact path. */
function checkReferences(policy: z.output<typeof policyObject>, ctx: Ctx) {
	const issue = (path: Array<string | number>, message: string) =>
		ctx.addIssue({ code: z.ZodIssueCode.custom, path, message });

	if (!isTimeZone(policy.timezone)) issue(['timezone'], `unknown time zone "${policy.timezone}" (use an IANA name, e.g. "Europe/Paris")`);

	const destinations = new Map<string, Destination>();
	const unknownDestination = (id: string) => `unknown destination "${id}" (destinations: ${[...destinations.keys()].join(', ')})`;
	const scheduleIds = new Set((policy.schedules ?? []).map((s) => s.id));
	checkSchedules(policy.schedules ?? [], issue);
	const checkSchedule = (ref: string | undefined, path: Array<string | number>) => {
		if (ref !== undefined && !scheduleIds.has(ref)) {
			issue(path, scheduleIds.size ? `unknown schedule "${ref}" (schedules: ${[...scheduleIds].join(', ')})` : `unknown schedule "${ref}": the policy defines no schedules`);
		}
	};
	policy.destinations.forEach((d, i) => {
		if (destinations.has(d.id)) issue(['destinations', i, 'id'], `duplicate destination id "${d.id}"`);
		destinations.set(d.id, d);
		if (d.kind === 'internal') {
			for (const key of ['contract', 'capacityPerHour', 'capacityPerDay', 'capacityPerMonth', 'monthlyBudget', 'maxShare', 'quality'] as const) {
				if (d[key] !== undefined) issue(['destinations', i, key], 'applies to external destinations only');
			}
		}
		if (d.quality) checkQuality(d.quality, (path, message) => issue(['destinations', i, 'quality', ...path], message));
	});
	if (!policy.destinations.some((d) => d.kind === 'internal')) {
		issue(['destinations'], 'needs at least one internal destination (where tickets go when no vendor may take them)');
	}
	if (!destinations.has(policy.defaultDestination)) {
		issue(['defaultDestination'], unknownDestination(policy.defaultDestination));
	}

	const ruleIds = new Set<string>();
	policy.rules.forEach((rule, r) => {
		if (ruleIds.has(rule.id)) issue(['rules', r, 'id'], `duplicate rule id "${rule.id}"`);
		ruleIds.add(rule.id);
		if (rule.target !== undefined && rule.targets !== undefined) issue(['rules', r, 'targets'], 'give either target or targets, not both');
		const wantKind = rule.kind === 'keepInternal' ? 'internal' : 'external';
		const check = (destination: string, path: Array<string | number>) => {
			const d = destinations.get(destination);
			if (!d) issue(path, unknownDestination(destination));
			else if (d.kind !== wantKind) issue(path, `${article(rule.kind)} ${rule.kind} rule needs an ${wantKind} destination, "${destination}" is ${d.kind}`);
		};
		if (rule.target !== undefined) check(rule.target, ['rules', r, 'target']);
		rule.targets?.forEach((t, k) => check(typeof t === 'string' ? t : t.destination, ['rules', r, 'targets', k]));
		if (rule.target === undefined && !rule.targets?.length) issue(['rules', r, 'target'], 'needs a destination');

		if (rule.kind === 'overflow') {
			const o = rule.overflow;
			if (!o) issue(['rules', r, 'overflow'], 'an overflow rule needs its overflow settings (capacityPerHour or backlogLimit)');
			else {
				if (o.capacityPerHour === undefined && o.backlogLimit === undefined) {
					issue(['rules', r, 'overflow'], 'needs capacityPerHour or backlogLimit');
				}
				// A value that is itself invalid (not finite) has its own issue; comparing with it would only add noise.
				if (Number.isFinite(o.offAt) && Number.isFinite(o.onAt) && o.offAt > o.onAt) issue(['rules', r, 'overflow', 'offAt'], `must not be above onAt (${o.onAt})`);
				o.peakPeriods.forEach((p, k) => {
					const at = ['rules', r, 'overflow', 'peakPeriods', k];
					if ((p.from === undefined) !== (p.to === undefined)) issue([...at, p.from === undefined ? 'from' : 'to'], 'give both from and to, or neither');
					else if (p.from !== undefined && p.to !== undefined && p.from > p.to) issue([...at, 'to'], `ends before it starts (${p.from})`);
					if (p.from === undefined && p.withinSchedule === undefined && p.outsideSchedule === undefined) {
						issue(at, 'needs dates (from, to) or a schedule (withinSchedule or outsideSchedule)');
					}
					checkSchedule(p.withinSchedule, [...at, 'withinSchedule']);
					checkSchedule(p.outsideSchedule, [...at, 'outsideSchedule']);
				});
			}
		} else if (rule.overflow) {
			issue(['rules', r, 'overflow'], 'only overflow rules take overflow settings');
		}
		checkSchedule(rule.when.withinSchedule, ['rules', r, 'when', 'withinSchedule']);
		checkSchedule(rule.when.outsideSchedule, ['rules', r, 'when', 'outsideSchedule']);
		if (rule.when.withinSchedule !== undefined && rule.when.withinSchedule === rule.when.outsideSchedule) {
			issue(['rules', r, 'when', 'outsideSchedule'], `can never hold together with withinSchedule "${rule.when.withinSchedule}"`);
		}
		if (rule.strategy !== undefined && rule.strategy !== 'inOrder' && (rule.targets?.length ?? 0) < 2) {
			issue(['rules', r, 'strategy'], `${rule.strategy} needs at least two targets to choose from`);
		}
		rule.when.timeWindows?.forEach((w, k) => {
			if (w.from === w.to) issue(['rules', r, 'when', 'timeWindows', k, 'to'], 'must differ from "from"');
		});
	});
}

function checkQuality(q: QualitySettings, issue: (path: string[], message: string) => void) {
	if (q.minSlaMetRate === undefined && q.minAvgCsat === undefined && q.maxReopenRate === undefined && q.maxReturnRate === undefined) {
		issue([], 'needs at least one limit: minSlaMetRate, minAvgCsat, maxReopenRate or maxReturnRate');
	}
	if (q.lastResolved !== undefined && q.windowDays !== undefined) issue(['windowDays'], 'give either lastResolved or windowDays, not both');
	const sample = q.windowDays === undefined ? (q.lastResolved ?? DEFAULT_QUALITY_SAMPLE) : null;
	// A sample that is itself invalid has its own issue; comparing with it would only add noise.
	if (sample !== null && Number.isFinite(sample) && sample >= 1 && Number.isFinite(q.minSample) && q.minSample > sample) issue(['minSample'], `must not be above the sample of ${sample} (lastResolved): the limits would never apply`);
}

function article(word: string): string {
	return /^[aeiou]/i.test(word) ? 'an' : 'a';
}
