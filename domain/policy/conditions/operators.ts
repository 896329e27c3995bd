/**
 * Operators of a rule condition on any ticket path. Negations hold for a missing field ("plan is not free" is true
 * when there is no plan), the others need a value.
 */
export const CONDITION_OPERATORS = [
	'equals',
	'notEquals',
	'isOneOf',
	'isNotOneOf',
	'contains',
	'notContains',
	'startsWith',
	'endsWith',
	'matches',
	'greaterThan',
	'greaterOrEqual',
	'lessThan',
	'lessOrEqual',
	'exists',
	'notExists',
	'isEmpty',
	'isNotEmpty',
] as const;
export type ConditionOperator = (typeof CONDITION_OPERATORS)[number];

/** What value an operator takes. */
export type ValueShape = 'none' | 'scalar' | 'list' | 'text' | 'pattern' | 'bound';

export const VALUE_SHAPE: Record<ConditionOperator, ValueShape> = {
	equals: 'scalar',
	notEquals: 'scalar',
	isOneOf: 'list',
	isNotOneOf: 'list',
	contains: 'text',
	notContains: 'text',
	startsWith: 'text',
	endsWith: 'text',
	matches: 'pattern',
	greaterThan: 'bound',
	greaterOrEqual: 'bound',
	lessThan: 'bound',
	lessOrEqual: 'bound',
	exists: 'none',
	notExists: 'none',
	isEmpty: 'none',
	isNotEmpty: 'none',
};

/** Each negated operator and the operator it negates. */
export const NEGATION_OF: Partial<Record<ConditionOperator, ConditionOperator>> = {
	notEquals: 'equals',
	isNotOneOf: 'isOneOf',
	notContains: 'contains',
	notExists: 'exists',
	isNotEmpty: 'isEmpty',
};
