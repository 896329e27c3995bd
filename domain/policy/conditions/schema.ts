import { RE2JS } from 're2js';
import { z } from 'zod';

import { pathProblem } from '../../ticket/path';
import { splitList } from '../list';
import { CONDITION_OPERATORS, VALUE_SHAPE } from './operators';
import { parseBound } from './values';

const scalar = z.union([z.string().max(1000, 'must be at most 1000 characters'), z.number().finite(), z.boolean()]);

/** `{ path, operator, value }`: a condition on any path of the ticket item (dots or brackets: `custom_fields[0].value`). */
export const conditionSchema = z
	.object({
		path: z.string().trim().min(1, 'must not be empty').max(500, 'must be at most 500 characters'),
		operator: z.enum(CONDITION_OPERATORS),
		value: z.union([scalar, z.array(scalar).max(1000, 'must list at most 1000 values')]).optional(),
	})
	.strict()
	.superRefine((condition, ctx) => {
		// A bracket the path reader cannot read would look up a key named after it and never find the field: a
		// negation (notEquals…) would then hold for every ticket.
		const unreadable = pathProblem(condition.path);
		if (unreadable) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['path'], message: unreadable });
		const problem = valueProblem(condition.operator, condition.value);
		if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['value'], message: problem });
	});

export type Condition = z.output<typeof conditionSchema>;

/** Why a value does not fit its operator, or null. */
function valueProblem(operator: Condition['operator'], value: Condition['value']): string | null {
	const shape = VALUE_SHAPE[operator];
	if (shape === 'none') return value === undefined ? null : `${operator} takes no value`;
	if (value === undefined || value === '') return `${operator} needs a value`;
	if (shape === 'list') return splitList(value).length === 0 ? `${operator} needs at least one value` : null;
	if (Array.isArray(value)) return `${operator} takes one value, not a list (use isOneOf for several)`;
	if (shape === 'text' && typeof value === 'boolean') return `${operator} needs text`;
	if (shape === 'pattern') {
		if (typeof value !== 'string') return 'matches needs a regular expression as text';
		try {
			RE2JS.compile(value);
		} catch (error) {
			return `is not a regular expression RE2 accepts (${(error as Error).message}); RE2 has no lookaround or backreferences`;
		}
	}
	if (shape === 'bound' && parseBound(value, 'UTC') === null) {
		return `${operator} needs a number or a date (YYYY-MM-DD or ISO 8601 date-time), got ${JSON.stringify(value)}`;
	}
	return null;
}
