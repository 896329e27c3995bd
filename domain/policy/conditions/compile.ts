import { RE2JS } from 're2js';

import { parseInstant } from '../../ticket/instant';
import { compilePath } from '../../ticket/path';
import { splitList } from '../list';
import { NEGATION_OF, type ConditionOperator } from './operators';
import type { Condition } from './schema';
import { asLabelText, asNumber, isEmptyValue, numeric, parseBound } from './values';

/**
 * A compiled condition: reads its path from the ticket item and returns the matched term (`field:intent equals
 * refund`) or null. Terms name the policy's side only (path, operator, the policy's value), never the ticket's
 * value: they are stored in the ledger, which holds no customer data.
 */
export type ConditionTest = (source: unknown) => string | null;

/** Tests one value (not a list); returns the policy value it matched (for the term) or null. */
type ValueTest = (value: unknown) => string | null;

/**
 * Compiles a validated condition into plain JavaScript, once per policy. Text compares trimmed and
 * case-insensitively (as ticket labels do), except `matches`, which runs the RE2 pattern as written (add `(?i)`
 * to ignore case) in time linear in the text. A list value (tags, an array field) holds when any element does;
 * negations hold when no element does, and for a missing field.
 */
export function compileCondition(condition: Condition, zone: string): ConditionTest {
	const get = compilePath(condition.path);
	const negated = NEGATION_OF[condition.operator];
	const positive = negated ?? condition.operator;
	const test = valueTest(positive, condition.value, zone);
	const prefix = `field:${condition.path} ${condition.operator}`;
	const fixed = termValue(condition);
	// In a list, "contains" means "has the element" (tags contains billing), not a substring of one of them.
	const elementTest = positive === 'contains' ? equalsTest(condition.value as string | number) : test;
	const anyElement = (value: unknown): string | null => {
		if (!Array.isArray(value) || positive === 'isEmpty' || positive === 'exists') return test(value);
		for (const element of value) {
			const hit = elementTest(element);
			if (hit !== null) return hit;
		}
		return null;
	};
	if (negated) {
		const term = fixed === '' ? prefix : `${prefix} ${fixed}`;
		return (source) => (anyElement(get(source)) === null ? term : null);
	}
	return (source) => {
		const hit = anyElement(get(source));
		if (hit === null) return null;
		return hit === '' ? prefix : `${prefix} ${hit}`;
	};
}

function valueTest(operator: ConditionOperator, value: Condition['value'], zone: string): ValueTest {
	switch (operator) {
		case 'exists':
			return (v) => (v === undefined || v === null ? null : '');
		case 'isEmpty':
			return (v) => (isEmptyValue(v) ? '' : null);
		case 'equals':
			return equalsTest(value as string | number | boolean);
		case 'isOneOf': {
			const tests = splitList(value).map((v) => equalsTest(v as string | number | boolean));
			return (v) => {
				for (const test of tests) {
					const hit = test(v);
					if (hit !== null) return hit;
				}
				return null;
			};
		}
		case 'contains':
		case 'startsWith':
		case 'endsWith': {
			const needle = String(value).trim().toLowerCase();
			const shown = String(value).trim();
			const found =
				operator === 'contains'
					? (t: string) => t.includes(needle)
					: operator === 'startsWith'
						? (t: string) => t.startsWith(needle)
						: (t: string) => t.endsWith(needle);
			return (v) => {
				const text = asLabelText(v);
				return text !== null && found(text) ? shown : null;
			};
		}
		case 'matches': {
			const pattern = RE2JS.compile(String(value));
			const shown = String(value);
			return (v) => {
				const text = typeof v === 'string' ? v : asLabelText(v);
				return text !== null && pattern.test(text) ? shown : null;
			};
		}
		default:
			return boundTest(operator, value, zone);
	}
}

/** equals: text trimmed and case-insensitive; a number also equals numeric text ("5" = 5); booleans their words. */
function equalsTest(expected: string | number | boolean): ValueTest {
	const shown = String(expected).trim();
	const label = shown.toLowerCase();
	const number = typeof expected === 'number' ? expected : typeof expected === 'string' ? numeric(label) : null;
	return (v) => {
		if (asLabelText(v) === label) return shown;
		if (number !== null && typeof v !== 'boolean' && asNumber(v) === number) return shown;
		return null;
	};
}

function boundTest(operator: ConditionOperator, value: Condition['value'], zone: string): ValueTest {
	const bound = parseBound(value, zone)!;
	// A date bound reads the ticket's value as ticket times are read: ISO (without an offset, on the policy's wall
	// clock) or epoch seconds/milliseconds.
	const read = bound.kind === 'number' ? asNumber : (v: unknown) => parseInstant(v, zone);
	const limit = bound.value;
	const shown = String(value).trim();
	const holds: (x: number) => boolean =
		operator === 'greaterThan'
			? (x) => x > limit
			: operator === 'greaterOrEqual'
				? (x) => x >= limit
				: operator === 'lessThan'
					? (x) => x < limit
					: (x) => x <= limit;
	return (v) => {
		const x = read(v);
		return x !== null && holds(x) ? shown : null;
	};
}

/** The policy value a negated or presence condition names in its term; empty for exists/isEmpty. */
function termValue(condition: Condition): string {
	if (condition.value === undefined) return '';
	const text = splitList(condition.value).join(',');
	return text.length > 80 ? `${text.slice(0, 79)}…` : text;
}
