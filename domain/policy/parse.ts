import { createHash } from 'node:crypto';
import type { ZodIssue } from 'zod';

import { formatPath, placeOf } from './place';
import { policySchema, type Policy } from './schema';

export { formatPath } from './place';

/** One problem of a policy: its exact path, where a person finds it (`Rule 3 "Billing" › target (rules[2].target)`), and what is wrong. */
export interface PolicyProblem {
	path: string;
	place: string;
	message: string;
}

/**
 * A policy that cannot be used. `issues` are `path: problem` lines, e.g. `rules[2].target: unknown destination
 * "acme" (destinations: team, billing)`; `problems` say the same with the place as the editor shows it.
 */
export class PolicyError extends Error {
	readonly issues: string[];

	constructor(readonly problems: PolicyProblem[]) {
		const lines = problems.map((p) => `${p.place}: ${p.message}`);
		super(`Invalid policy: ${lines[0]}${lines.length > 1 ? ` (and ${lines.length - 1} more)` : ''}`);
		this.name = 'PolicyError';
		this.issues = problems.map((p) => `${p.path}: ${p.message}`);
	}

	/** Every problem on its own line, for the node's error details. */
	get lines(): string[] {
		return this.problems.map((p) => `${p.place}: ${p.message}`);
	}
}

function problemOf(issue: ZodIssue, raw: unknown): PolicyProblem {
	let message = issue.message;
	if (issue.code === 'invalid_type' && issue.received === 'undefined') message = 'is required';
	else if (issue.code === 'unrecognized_keys') message = `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
	return { path: formatPath(issue.path), place: placeOf(issue.path, raw), message };
}

const whole = (message: string): PolicyProblem => ({ path: 'policy', place: 'policy', message });

/** Validates a policy given as an object or as JSON text. Throws PolicyError naming every problem's path. */
export function parsePolicy(input: unknown): Policy {
	const raw = typeof input === 'string' ? parseJson(input) : input;
	if (raw instanceof SyntaxError) throw new PolicyError([whole(`not valid JSON (${raw.message})`)]);
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new PolicyError([whole('must be a JSON object with destinations, rules and defaultDestination')]);
	}
	const result = policySchema.safeParse(raw);
	if (!result.success) throw new PolicyError(result.error.issues.map((issue) => problemOf(issue, raw)));
	return result.data;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		return error instanceof SyntaxError ? error : new SyntaxError(String(error));
	}
}

/** Short content hash of the canonical policy: the same policy gives the same version whatever its key order. */
export function policyVersion(policy: Policy): string {
	return createHash('sha256').update(canonicalJson(policy)).digest('hex').slice(0, 12);
}

export function canonicalJson(value: unknown): string {
	if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
	if (value !== null && typeof value === 'object') {
		const entries = Object.keys(value)
			.filter((k) => (value as Record<string, unknown>)[k] !== undefined)
			.sort()
			.map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`);
		return `{${entries.join(',')}}`;
	}
	return JSON.stringify(value);
}
