import { describe, expect, it } from 'vitest';

import { compileCondition } from '../../../domain/policy/conditions/compile';
import { conditionSchema, type Condition } from '../../../domain/policy/conditions/schema';
import { parsePolicy, PolicyError } from '../../../domain/policy/parse';
import { onServerIn } from '../../harness/server-zone';

/** Compiles a condition as a policy would (validated first) and tests it against one item. */
function holds(condition: { path: string; operator: Condition['operator']; value?: Condition['value'] }, item: unknown, zone = 'UTC'): boolean {
	return compileCondition(conditionSchema.parse(condition), zone)(item) !== null;
}

const item = {
	intent: 'Refund',
	intent_confidence: 0.93,
	confidence_text: '0.75',
	score: 0,
	vip: true,
	tags: ['billing', 'Urgent'],
	nested: { plan: { name: 'Enterprise' } },
	empty_text: '   ',
	empty_list: [],
	empty_object: {},
	nothing: null,
	created: '2026-06-10T09:30:00Z',
	created_epoch: 1781083800, // 2026-06-10T09:30:00Z in Unix seconds
	subject: 'Order #12345 never arrived',
	count_list: [1, 5, 12],
};

describe('conditions on any field: every operator and type', () => {
	it('equals / notEquals: text trimmed and case-insensitive, numbers and numeric text alike, booleans, lists any element', () => {
		expect(holds({ path: 'intent', operator: 'equals', value: 'refund' }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'equals', value: ' REFUND ' }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'equals', value: 'refunds' }, item)).toBe(false);
		expect(holds({ path: 'intent_confidence', operator: 'equals', value: 0.93 }, item)).toBe(true);
		expect(holds({ path: 'confidence_text', operator: 'equals', value: 0.75 }, item)).toBe(true);
		expect(holds({ path: 'intent_confidence', operator: 'equals', value: '0.930' }, item)).toBe(true);
		expect(holds({ path: 'score', operator: 'equals', value: 0 }, item)).toBe(true);
		expect(holds({ path: 'vip', operator: 'equals', value: true }, item)).toBe(true);
		expect(holds({ path: 'vip', operator: 'equals', value: 'TRUE' }, item)).toBe(true);
		expect(holds({ path: 'vip', operator: 'equals', value: 1 }, item)).toBe(false);
		expect(holds({ path: 'tags', operator: 'equals', value: 'urgent' }, item)).toBe(true);
		expect(holds({ path: 'nested.plan.name', operator: 'equals', value: 'enterprise' }, item)).toBe(true);
		expect(holds({ path: 'nested.plan', operator: 'equals', value: 'enterprise' }, item)).toBe(false);
		expect(holds({ path: 'missing', operator: 'equals', value: '' + 'x' }, item)).toBe(false);
		expect(holds({ path: 'nothing', operator: 'equals', value: 'null' }, item)).toBe(false);
		// A negation holds for a missing or null field, and when no element of a list matches.
		expect(holds({ path: 'intent', operator: 'notEquals', value: 'refund' }, item)).toBe(false);
		expect(holds({ path: 'intent', operator: 'notEquals', value: 'complaint' }, item)).toBe(true);
		expect(holds({ path: 'missing', operator: 'notEquals', value: 'x' }, item)).toBe(true);
		expect(holds({ path: 'nothing', operator: 'notEquals', value: 'x' }, item)).toBe(true);
		expect(holds({ path: 'tags', operator: 'notEquals', value: 'billing' }, item)).toBe(false);
		expect(holds({ path: 'tags', operator: 'notEquals', value: 'legal' }, item)).toBe(true);
	});

	it('isOneOf / isNotOneOf: a list or a comma-separated text', () => {
		expect(holds({ path: 'intent', operator: 'isOneOf', value: ['return', 'refund'] }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'isOneOf', value: 'return, refund' }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'isOneOf', value: ['return', 'exchange'] }, item)).toBe(false);
		expect(holds({ path: 'count_list', operator: 'isOneOf', value: [12, 13] }, item)).toBe(true);
		expect(holds({ path: 'missing', operator: 'isOneOf', value: ['a'] }, item)).toBe(false);
		expect(holds({ path: 'intent', operator: 'isNotOneOf', value: 'return, exchange' }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'isNotOneOf', value: 'return, refund' }, item)).toBe(false);
		expect(holds({ path: 'missing', operator: 'isNotOneOf', value: 'a' }, item)).toBe(true);
	});

	it('contains / notContains: substring of text, member of a list; startsWith / endsWith', () => {
		expect(holds({ path: 'subject', operator: 'contains', value: 'NEVER arrived' }, item)).toBe(true);
		expect(holds({ path: 'subject', operator: 'contains', value: 'refund' }, item)).toBe(false);
		expect(holds({ path: 'tags', operator: 'contains', value: 'billing' }, item)).toBe(true);
		expect(holds({ path: 'tags', operator: 'contains', value: 'bill' }, item)).toBe(false);
		expect(holds({ path: 'intent_confidence', operator: 'contains', value: '93' }, item)).toBe(true);
		expect(holds({ path: 'nested', operator: 'contains', value: 'enterprise' }, item)).toBe(false);
		expect(holds({ path: 'subject', operator: 'notContains', value: 'refund' }, item)).toBe(true);
		expect(holds({ path: 'tags', operator: 'notContains', value: 'urgent' }, item)).toBe(false);
		expect(holds({ path: 'missing', operator: 'notContains', value: 'x' }, item)).toBe(true);
		expect(holds({ path: 'subject', operator: 'startsWith', value: 'order #' }, item)).toBe(true);
		expect(holds({ path: 'subject', operator: 'startsWith', value: 'never' }, item)).toBe(false);
		expect(holds({ path: 'subject', operator: 'endsWith', value: 'ARRIVED' }, item)).toBe(true);
		expect(holds({ path: 'tags', operator: 'startsWith', value: 'urg' }, item)).toBe(true);
		expect(holds({ path: 'nothing', operator: 'startsWith', value: 'n' }, item)).toBe(false);
	});

	it('matches: an RE2 pattern, case-sensitive unless (?i), in linear time even for a pattern that backtracks elsewhere', () => {
		expect(holds({ path: 'subject', operator: 'matches', value: '#\\d{5}\\b' }, item)).toBe(true);
		expect(holds({ path: 'subject', operator: 'matches', value: '^order' }, item)).toBe(false);
		expect(holds({ path: 'subject', operator: 'matches', value: '(?i)^order' }, item)).toBe(true);
		expect(holds({ path: 'tags', operator: 'matches', value: '^Urg' }, item)).toBe(true);
		expect(holds({ path: 'intent_confidence', operator: 'matches', value: '^0\\.9' }, item)).toBe(true);
		expect(holds({ path: 'missing', operator: 'matches', value: '.*' }, item)).toBe(false);
		// (a+)+$ on 50,000 a's and a "!" takes exponential time in a backtracking engine; RE2 scans it once.
		const hostile = { text: `${'a'.repeat(50_000)}!` };
		const started = performance.now();
		expect(holds({ path: 'text', operator: 'matches', value: '(a+)+$' }, hostile)).toBe(false);
		expect(performance.now() - started).toBeLessThan(5_000);
	});

	it('greater / less (or equal) for numbers, numeric text and dates (ISO or epoch), nothing else', () => {
		expect(holds({ path: 'intent_confidence', operator: 'greaterOrEqual', value: 0.8 }, item)).toBe(true);
		expect(holds({ path: 'intent_confidence', operator: 'greaterOrEqual', value: 0.93 }, item)).toBe(true);
		expect(holds({ path: 'intent_confidence', operator: 'greaterThan', value: 0.93 }, item)).toBe(false);
		expect(holds({ path: 'confidence_text', operator: 'lessThan', value: '0.8' }, item)).toBe(true);
		expect(holds({ path: 'confidence_text', operator: 'lessOrEqual', value: 0.75 }, item)).toBe(true);
		expect(holds({ path: 'score', operator: 'lessThan', value: 1 }, item)).toBe(true);
		expect(holds({ path: 'count_list', operator: 'greaterThan', value: 10 }, item)).toBe(true);
		expect(holds({ path: 'intent', operator: 'greaterThan', value: 0 }, item)).toBe(false);
		expect(holds({ path: 'vip', operator: 'greaterThan', value: 0 }, item)).toBe(false);
		expect(holds({ path: 'missing', operator: 'lessThan', value: 5 }, item)).toBe(false);
		expect(holds({ path: 'created', operator: 'lessThan', value: '2026-06-10T10:00:00Z' }, item)).toBe(true);
		expect(holds({ path: 'created', operator: 'greaterThan', value: '2026-06-10T10:00:00Z' }, item)).toBe(false);
		expect(holds({ path: 'created_epoch', operator: 'greaterOrEqual', value: '2026-06-10T09:30:00Z' }, item)).toBe(true);
		expect(holds({ path: 'created_epoch', operator: 'greaterThan', value: '2026-06-10T09:30:00Z' }, item)).toBe(false);
		// A date without an offset is read on the policy's wall clock: 09:30Z is 11:30 in Paris (CEST).
		expect(holds({ path: 'created', operator: 'greaterOrEqual', value: '2026-06-10 11:30' }, item, 'Europe/Paris')).toBe(true);
		expect(holds({ path: 'created', operator: 'greaterThan', value: '2026-06-10 11:30' }, item, 'Europe/Paris')).toBe(false);
		expect(holds({ path: 'created', operator: 'greaterOrEqual', value: '2026-06-10 11:30' }, item, 'UTC')).toBe(false);
		expect(holds({ path: 'created', operator: 'greaterOrEqual', value: '2026-06-10' }, item, 'Asia/Tokyo')).toBe(true);
	});

	it('exists / notExists / isEmpty / isNotEmpty over null, missing, blank text, empty list and object, zero and false', () => {
		const cases: Array<[string, boolean, boolean]> = [
			// path, exists, isEmpty
			['intent', true, false],
			['score', true, false],
			['vip', true, false],
			['empty_text', true, true],
			['empty_list', true, true],
			['empty_object', true, true],
			['nothing', false, true],
			['missing', false, true],
			['nested.plan.missing', false, true],
		];
		for (const [path, exists, empty] of cases) {
			expect([path, holds({ path, operator: 'exists' }, item)]).toEqual([path, exists]);
			expect([path, holds({ path, operator: 'notExists' }, item)]).toEqual([path, !exists]);
			expect([path, holds({ path, operator: 'isEmpty' }, item)]).toEqual([path, empty]);
			expect([path, holds({ path, operator: 'isNotEmpty' }, item)]).toEqual([path, !empty]);
		}
	});

	it('reads own properties only, and never throws on odd items', () => {
		expect(holds({ path: 'constructor', operator: 'exists' }, {})).toBe(false);
		expect(holds({ path: '__proto__.toString', operator: 'exists' }, {})).toBe(false);
		for (const odd of [null, undefined, 42, 'text', [], [[1]]]) expect(holds({ path: 'a.b', operator: 'equals', value: 'x' }, odd)).toBe(false);
	});

	it('names the policy side only in its term, never the ticket value', () => {
		const term = (c: { path: string; operator: Condition['operator']; value?: Condition['value'] }, v: unknown) => compileCondition(conditionSchema.parse(c), 'UTC')(v);
		expect(term({ path: 'intent_confidence', operator: 'greaterOrEqual', value: 0.8 }, { intent_confidence: 0.93 })).toBe('field:intent_confidence greaterOrEqual 0.8');
		expect(term({ path: 'intent', operator: 'isOneOf', value: ['return', 'Refund'] }, { intent: 'refund' })).toBe('field:intent isOneOf Refund');
		expect(term({ path: 'email', operator: 'contains', value: '@example.com' }, { email: 'jane.doe@example.com' })).toBe('field:email contains @example.com');
		expect(term({ path: 'email', operator: 'exists' }, { email: 'jane.doe@example.com' })).toBe('field:email exists');
		expect(term({ path: 'plan', operator: 'notEquals', value: 'free' }, { plan: 'pro' })).toBe('field:plan notEquals free');
	});
});

describe('dates in conditions: ticket values read as ticket times are', () => {
	it('reads a ticket time without an offset on the policy\'s wall clock, whatever the server\'s time zone', () => {
		// Both on Paris wall time: 11:00 is before 12:00 and 12:30 is not, on any server.
		const before = { path: 'createdAt', operator: 'lessThan' as const, value: '2026-06-01T12:00' };
		for (const server of ['UTC', 'Asia/Tokyo', 'Europe/Paris']) {
			onServerIn(server, () => {
				expect(holds(before, { createdAt: '2026-06-01T11:00:00' }, 'Europe/Paris')).toBe(true);
				expect(holds(before, { createdAt: '2026-06-01T12:30:00' }, 'Europe/Paris')).toBe(false);
				// 10:30Z is 12:30 in Paris: not before.
				expect(holds(before, { createdAt: '2026-06-01T10:30:00Z' }, 'Europe/Paris')).toBe(false);
			});
		}
	});

	it('never compares a value that is not ISO 8601 or epoch, with either operator', () => {
		for (const value of ['-1', 'June 1', 'ticket 12', 'urgent 3', '01/06/2026']) {
			expect(holds({ path: 'createdAt', operator: 'lessThan', value: '2026-06-01' }, { createdAt: value })).toBe(false);
			expect(holds({ path: 'createdAt', operator: 'greaterThan', value: '1990-01-01' }, { createdAt: value })).toBe(false);
		}
	});
});

describe('condition paths with brackets', () => {
	const plan = (value: string) => ({ custom_fields: [{ id: 7, value }], fields: { 'cf.plan': value } });

	it('reads custom_fields[0].value as custom_fields.0.value, so a negation holds only when the field differs', () => {
		const notFree = { path: 'custom_fields[0].value', operator: 'notEquals' as const, value: 'free' };
		expect(holds(notFree, plan('free'))).toBe(false);
		expect(holds(notFree, plan('pro'))).toBe(true);
		expect(holds({ path: 'custom_fields[0].value', operator: 'equals', value: 'free' }, plan('free'))).toBe(true);
		expect(holds({ path: 'fields["cf.plan"]', operator: 'isNotOneOf', value: ['free', 'trial'] }, plan('trial'))).toBe(false);
		expect(holds({ path: 'fields["cf.plan"]', operator: 'isNotOneOf', value: ['free', 'trial'] }, plan('pro'))).toBe(true);
	});
});

describe('condition validation: path-exact errors', () => {
	const policyWith = (conditions: unknown[]) => ({
		destinations: [
			{ id: 'team', kind: 'internal' },
			{ id: 'acme', kind: 'external' },
		],
		rules: [{ id: 'ai', kind: 'specialist', when: { conditions }, target: 'acme' }],
		defaultDestination: 'team',
	});
	const issues = (conditions: unknown[]) => {
		try {
			parsePolicy(policyWith(conditions));
			return [];
		} catch (error) {
			expect(error).toBeInstanceOf(PolicyError);
			return (error as PolicyError).issues;
		}
	};

	it('accepts every operator with a fitting value', () => {
		expect(
			issues([
				{ path: 'intent', operator: 'equals', value: 'refund' },
				{ path: 'intent_confidence', operator: 'greaterOrEqual', value: 0.8 },
				{ path: 'created', operator: 'lessThan', value: '2026-06-10T09:30:00+02:00' },
				{ path: 'plan', operator: 'isOneOf', value: ['pro', 'enterprise'] },
				{ path: 'subject', operator: 'matches', value: '(?i)order #\\d+' },
				{ path: 'x', operator: 'isEmpty' },
			]),
		).toEqual([]);
	});

	it('refuses a path whose bracket it cannot read, naming the condition and the path', () => {
		expect(
			issues([
				{ path: 'custom_fields[0].value', operator: 'notEquals', value: 'free' },
				{ path: 'custom_fields[x].value', operator: 'notEquals', value: 'free' },
				{ path: 'custom_fields[0]value', operator: 'exists' },
			]),
		).toEqual([
			expect.stringMatching(/^rules\[0\]\.when\.conditions\[1\]\.path: path "custom_fields\[x\]\.value" cannot be read: .*custom_fields\.0\.value/),
			expect.stringMatching(/^rules\[0\]\.when\.conditions\[2\]\.path: path "custom_fields\[0\]value" cannot be read: /),
		]);
	});

	it('rejects values that do not fit their operator, naming the condition', () => {
		expect(
			issues([
				{ path: 'a', operator: 'exists', value: 'x' },
				{ path: 'b', operator: 'equals' },
				{ path: 'c', operator: 'equals', value: ['x', 'y'] },
				{ path: 'd', operator: 'isOneOf', value: [] },
				{ path: 'e', operator: 'greaterThan', value: 'soon' },
				{ path: 'f', operator: 'greaterThan', value: '2026-02-30' },
				{ path: 'g', operator: 'matches', value: '(?<=a)b' },
				{ path: 'h', operator: 'matches', value: '(unclosed' },
				{ path: '', operator: 'exists' },
				{ path: 'i', operator: 'resembles', value: 'x' },
			]),
		).toEqual([
			'rules[0].when.conditions[0].value: exists takes no value',
			'rules[0].when.conditions[1].value: equals needs a value',
			'rules[0].when.conditions[2].value: equals takes one value, not a list (use isOneOf for several)',
			'rules[0].when.conditions[3].value: isOneOf needs at least one value',
			'rules[0].when.conditions[4].value: greaterThan needs a number or a date (YYYY-MM-DD or ISO 8601 date-time), got "soon"',
			'rules[0].when.conditions[5].value: greaterThan needs a number or a date (YYYY-MM-DD or ISO 8601 date-time), got "2026-02-30"',
			expect.stringMatching(/^rules\[0\]\.when\.conditions\[6\]\.value: is not a regular expression RE2 accepts \(.*\); RE2 has no lookaround or backreferences$/),
			expect.stringMatching(/^rules\[0\]\.when\.conditions\[7\]\.value: is not a regular expression RE2 accepts \(.*missing closing \).*\)/),
			'rules[0].when.conditions[8].path: must not be empty',
			expect.stringMatching(/^rules\[0\]\.when\.conditions\[9\]\.operator: Invalid enum value/),
		]);
	});
});
