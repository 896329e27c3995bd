import type { Ticket } from '../ticket/ticket';
import { compileCondition, type ConditionTest } from './conditions/compile';
import { KeywordMatcher, type KeywordHits } from './keywords';
import { lintPolicy, type PolicyWarning } from './lint';
import type { Moment } from './moment';
import { parsePolicy, policyVersion } from './parse';
import { compileSchedule, type CompiledSchedule } from './schedules/calendar';
import type { Destination, OverflowSettings, Policy, Rule, RuleKind, Strategy } from './schema';
import { compileSla, type CompiledSla } from './sla';
import { windowPredicate, type WindowPredicate } from './time';
import { BoundedCache } from '../shared/bounded-cache';

export interface Target {
	destination: Destination;
	weight: number;
}

/** A label condition: the ticket field it reads, and each accepted value with its matched term (`tier:vip`). */
interface LabelTest {
	field: 'category' | 'language' | 'channel' | 'priority' | 'tier' | 'region';
	terms: Map<string, string>;
}

export interface CompiledRule {
	/** Among the enabled rules (keyword hits are keyed by it). */
	index: number;
	/** In the policy's rule list, as the editor numbers rules (from 0). */
	position: number;
	/** `Rule 3 "Billing"`: the rule as explanations name it, made once per policy rather than once per ticket. */
	label: string;
	when: Rule['when'];
	id: string;
	name: string;
	kind: RuleKind;
	targets: Target[];
	overflow: OverflowSettings | null;
	strategy: Strategy;
	hasKeywords: boolean;
	/** Each keyword (as written) with its matched term, `keyword:refund`. */
	keywordTerms: Map<string, string>;
	/** Each tag the rule names with its matched term, `tag:vip`; null when the rule names none. */
	tags: Map<string, string> | null;
	labels: LabelTest[];
	windows: Array<{ label: string; test: WindowPredicate }>;
	conditions: ConditionTest[];
	/** Schedule conditions: open (within) or closed (outside) at routing time. */
	schedules: Array<{ id: string; open: boolean }>;
	/** dueWithinMinutes in ms, or null. */
	dueWithinMs: number | null;
}

export interface CompiledPolicy {
	policy: Policy;
	version: string;
	scope: string;
	timezone: string;
	destinations: Destination[];
	destinationIndex: Map<string, number>;
	rules: CompiledRule[];
	defaultDestination: Destination;
	/** Where a ticket lands when nothing else may take it: the default if internal, else the first internal queue. */
	internalFallback: Destination;
	externalIds: string[];
	keywords: KeywordMatcher;
	schedules: Map<string, CompiledSchedule>;
	sla: CompiledSla;
	/** Whether any rule reads the SLA due time (so the router computes it only then). */
	usesDueTime: boolean;
	/**
	 * Whether any decision can depend on the ledger's counts: a vendor's capacity, budget or share cap, an overflow
	 * rule (the load) or a spare-capacity rule (recent tickets). When none can, a batch need not read the windows.
	 */
	usesCounts: boolean;
	/** What will certainly go wrong downstream (a vendor Provider Handoff refuses, a rule that never matches…). */
	warnings: PolicyWarning[];
}

const LABEL_FIELDS = [
	['categories', 'category'],
	['languages', 'language'],
	['channels', 'channel'],
	['priorities', 'priority'],
	['tiers', 'tier'],
	['regions', 'region'],
] as const;

/** Turns a validated policy into the structures decisions run on: one keyword matcher, sets, window predicates. */
export function compilePolicy(policy: Policy, version = policyVersion(policy)): CompiledPolicy {
	const destinationIndex = new Map(policy.destinations.map((d, i) => [d.id, i]));
	const byId = (id: string) => policy.destinations[destinationIndex.get(id)!];
	const enabled = policy.rules.flatMap((rule, position) => (rule.enabled ? [{ rule, position }] : []));

	const rules: CompiledRule[] = enabled.map(({ rule, position }, index) => compileRule(rule, index, position, byId, policy.timezone));
	const defaultDestination = byId(policy.defaultDestination);
	const schedules = new Map((policy.schedules ?? []).map((s) => [s.id, compileSchedule(s)]));
	const compiled: CompiledPolicy = {
		policy,
		version,
		scope: policy.scope,
		timezone: policy.timezone,
		destinations: policy.destinations,
		destinationIndex,
		rules,
		defaultDestination,
		internalFallback: defaultDestination.kind === 'internal' ? defaultDestination : policy.destinations.find((d) => d.kind === 'internal')!,
		externalIds: policy.destinations.filter((d) => d.kind === 'external').map((d) => d.id),
		keywords: new KeywordMatcher(enabled.map(({ rule }) => rule.when.keywords ?? [])),
		schedules,
		sla: compileSla(policy.sla),
		usesDueTime: rules.some((r) => r.dueWithinMs !== null),
		usesCounts: usesCounts(policy.destinations, rules),
		warnings: [],
	};
	compiled.warnings = lintPolicy(compiled);
	return compiled;
}

/** See CompiledPolicy.usesCounts: every reader of LedgerSnapshot's counts in routing/guardrails.ts and routing/choose.ts. */
function usesCounts(destinations: readonly Destination[], rules: readonly CompiledRule[]): boolean {
	const capped = (d: Destination) =>
		d.kind === 'external' &&
		(d.capacityPerHour !== undefined || d.capacityPerDay !== undefined || d.capacityPerMonth !== undefined || d.monthlyBudget !== undefined || d.maxShare !== undefined);
	return destinations.some(capped) || rules.some((r) => r.overflow !== null || (r.strategy === 'spareCapacity' && r.targets.length > 1));
}

function compileRule(rule: Rule, index: number, position: number, byId: (id: string) => Destination, zone: string): CompiledRule {
	const targets: Target[] = [];
	if (rule.target !== undefined) targets.push({ destination: byId(rule.target), weight: 1 });
	for (const t of rule.targets ?? []) {
		targets.push(typeof t === 'string' ? { destination: byId(t), weight: 1 } : { destination: byId(t.destination), weight: t.weight });
	}
	const when = rule.when;
	const labels: LabelTest[] = [];
	for (const [key, field] of LABEL_FIELDS) {
		const values = when[key];
		if (values?.length) labels.push({ field, terms: termsOf(`${field}:`, values) });
	}
	return {
		index,
		position,
		label: `Rule ${position + 1} "${rule.name || rule.id}"`,
		when,
		id: rule.id,
		name: rule.name || rule.id,
		kind: rule.kind,
		targets,
		overflow: rule.overflow ?? null,
		strategy: rule.strategy ?? (rule.kind === 'overflow' ? 'weighted' : 'inOrder'),
		hasKeywords: (when.keywords?.length ?? 0) > 0,
		keywordTerms: termsOf('keyword:', when.keywords ?? []),
		tags: when.tags?.length ? termsOf('tag:', when.tags) : null,
		labels,
		windows: (when.timeWindows ?? []).map((w) => ({
			label: `time:${w.days.join(',')} ${w.from}-${w.to}`,
			test: windowPredicate(w),
		})),
		conditions: (when.conditions ?? []).map((c) => compileCondition(c, zone)),
		schedules: [
			...(when.withinSchedule !== undefined ? [{ id: when.withinSchedule, open: true }] : []),
			...(when.outsideSchedule !== undefined ? [{ id: when.outsideSchedule, open: false }] : []),
		],
		dueWithinMs: when.dueWithinMinutes !== undefined ? when.dueWithinMinutes * 60_000 : null,
	};
}

/**
 * Does the rule's condition hold for the ticket? Every condition given must hold; within one condition any
 * listed value is enough. Returns the matched terms (`keyword:refund`, `tag:vip`…) or null. `dueAt` is the
 * ticket's SLA due time (the helpdesk's, or computed from the policy's targets), null when unknown.
 */
export function matchRule(rule: CompiledRule, ticket: Ticket, keywordHits: KeywordHits, moment: Moment, dueAt: number | null): string[] | null {
	// Most rules fail most tickets at their first condition: the term list is made only once a term is found, so
	// a failing rule allocates nothing (this runs rules × tickets times per batch). Terms the policy fixes are made
	// once per policy; a list starts at its exact size (`[term]`, a map), as it usually stays: a 10,000-ticket
	// batch keeps one per decision.
	let matched: string[] | null = null;
	if (rule.hasKeywords) {
		const hits = keywordHits.get(rule.index);
		if (!hits) return null;
		// Loops here, not `hits.map(h => …rule…)` or `windows.find(w => …moment…)`: a closure over a parameter makes every
		// call allocate a context for it, matched or not (~270 bytes a ticket over a policy's rules).
		matched = new Array<string>(hits.length);
		for (let i = 0; i < hits.length; i++) matched[i] = rule.keywordTerms.get(hits[i]) ?? `keyword:${hits[i]}`;
	}
	if (rule.tags) {
		let found = false;
		for (const tag of ticket.tags) {
			const term = rule.tags.get(tag);
			if (term === undefined) continue;
			matched = add(matched, term);
			found = true;
		}
		if (!found) return null;
	}
	for (const test of rule.labels) {
		const value = ticket[test.field];
		const term = value === null ? undefined : test.terms.get(value);
		if (term === undefined) return null;
		matched = add(matched, term);
	}
	for (const test of rule.conditions) {
		const term = test(ticket.source);
		if (term === null) return null;
		matched = add(matched, term);
	}
	if (rule.windows.length > 0) {
		let open: string | null = null;
		for (let i = 0; i < rule.windows.length && open === null; i++) if (rule.windows[i].test(moment.at)) open = rule.windows[i].label;
		if (open === null) return null;
		matched = add(matched, open);
	}
	for (const s of rule.schedules) {
		const term = moment.scheduleTerm(s.id, s.open);
		if (term === null) return null;
		matched = add(matched, term);
	}
	if (rule.dueWithinMs !== null) {
		if (dueAt === null || dueAt - moment.now > rule.dueWithinMs) return null;
		matched = add(matched, `sla:due within ${rule.dueWithinMs / 60_000} min`);
	}
	return matched ?? [];
}

function add(list: string[] | null, term: string): string[] {
	if (list === null) return [term];
	list.push(term);
	return list;
}

/** Each value with its matched term (prefix + value), made once per policy. */
function termsOf(prefix: string, values: readonly string[]): Map<string, string> {
	return new Map(values.map((v) => [v, prefix + v]));
}

const byText = new BoundedCache<string, CompiledPolicy>(64);
const byVersion = new BoundedCache<string, CompiledPolicy>(64);

/**
 * Validates and compiles a policy, once per distinct policy per process: executions of the same workflow
 * reuse the compiled matcher without even re-validating, and the same policy written differently (key
 * order, comma lists) shares one compilation through its content hash. Throws PolicyError when invalid.
 */
export function loadPolicy(input: unknown): CompiledPolicy {
	const text = typeof input === 'string' ? input : JSON.stringify(input);
	const known = byText.get(text);
	if (known) return known;
	const policy = parsePolicy(input);
	const version = policyVersion(policy);
	const compiled = byVersion.get(version) ?? compilePolicy(policy, version);
	byVersion.set(version, compiled);
	byText.set(text, compiled);
	return compiled;
}
