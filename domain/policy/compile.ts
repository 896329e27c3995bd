import type { Ticket } from '../ticket/ticket';
import { KeywordMatcher, type KeywordHits } from './keywords';
import { parsePolicy, policyVersion } from './parse';
import type { Destination, OverflowSettings, Policy, Rule, RuleKind } from './schema';
import { windowPredicate, type WindowPredicate, type ZonedTime } from './time';

export interface Target {
	destination: Destination;
	weight: number;
}

/** A label condition: the ticket field it reads and the accepted values. */
interface LabelTest {
	field: 'category' | 'language' | 'channel' | 'priority' | 'tier' | 'region';
	prefix: string;
	values: Set<string>;
}

export interface CompiledRule {
	index: number;
	id: string;
	name: string;
	kind: RuleKind;
	targets: Target[];
	overflow: OverflowSettings | null;
	hasKeywords: boolean;
	tags: Set<string> | null;
	labels: LabelTest[];
	windows: Array<{ label: string; test: WindowPredicate }>;
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
	const enabled = policy.rules.filter((r) => r.enabled);

	const rules: CompiledRule[] = enabled.map((rule, index) => compileRule(rule, index, byId));
	const defaultDestination = byId(policy.defaultDestination);
	return {
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
		keywords: new KeywordMatcher(enabled.map((r) => r.when.keywords ?? [])),
	};
}

function compileRule(rule: Rule, index: number, byId: (id: string) => Destination): CompiledRule {
	const targets: Target[] = [];
	if (rule.target !== undefined) targets.push({ destination: byId(rule.target), weight: 1 });
	for (const t of rule.targets ?? []) {
		targets.push(typeof t === 'string' ? { destination: byId(t), weight: 1 } : { destination: byId(t.destination), weight: t.weight });
	}
	const when = rule.when;
	const labels: LabelTest[] = [];
	for (const [key, field] of LABEL_FIELDS) {
		const values = when[key];
		if (values?.length) labels.push({ field, prefix: `${field}:`, values: new Set(values) });
	}
	return {
		index,
		id: rule.id,
		name: rule.name || rule.id,
		kind: rule.kind,
		targets,
		overflow: rule.overflow ?? null,
		hasKeywords: (when.keywords?.length ?? 0) > 0,
		tags: when.tags?.length ? new Set(when.tags) : null,
		labels,
		windows: (when.timeWindows ?? []).map((w) => ({
			label: `time:${w.days.join(',')} ${w.from}-${w.to}`,
			test: windowPredicate(w),
		})),
	};
}

/**
 * Does the rule's condition hold for the ticket? Every condition given must hold; within one condition any
 * listed value is enough. Returns the matched terms (`keyword:refund`, `tag:vip`…) or null.
 */
export function matchRule(rule: CompiledRule, ticket: Ticket, keywordHits: KeywordHits, at: ZonedTime): string[] | null {
	const matched: string[] = [];
	if (rule.hasKeywords) {
		const hits = keywordHits.get(rule.index);
		if (!hits) return null;
		for (const h of hits) matched.push(`keyword:${h}`);
	}
	if (rule.tags) {
		const before = matched.length;
		for (const tag of ticket.tags) if (rule.tags.has(tag)) matched.push(`tag:${tag}`);
		if (matched.length === before) return null;
	}
	for (const test of rule.labels) {
		const value = ticket[test.field];
		if (value === null || !test.values.has(value)) return null;
		matched.push(test.prefix + value);
	}
	if (rule.windows.length > 0) {
		const open = rule.windows.find((w) => w.test(at));
		if (!open) return null;
		matched.push(open.label);
	}
	return matched;
}

const byText = new Map<string, CompiledPolicy>();
const byVersion = new Map<string, CompiledPolicy>();
const CACHE_LIMIT = 64;

function remember<K>(cache: Map<K, CompiledPolicy>, key: K, compiled: CompiledPolicy) {
	if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
	cache.set(key, compiled);
}

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
	remember(byVersion, version, compiled);
	remember(byText, text, compiled);
	return compiled;
}
