import { createHash } from 'node:crypto';
import type { ZodIssue } from 'zod';

import { policySchema, type Policy } from './schema';

/** A policy that cannot be used. `issues` are `path: problem` lines, e.g. `rules[2].target: unknown destination "acme"`. */
export class PolicyError extends Error {
	constructor(readonly issues: string[]) {
		super(`Invalid policy: ${issues.slice(0, 5).join('; ')}${issues.length > 5 ? ` (and ${issues.length - 5} more)` : ''}`);
		this.name = 'PolicyError';
	}
}

/** `['rules', 2, 'target']` → `rules[2].target`. */
export function formatPath(path: Array<string | number>): string {
	let out = '';
	for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out === '' ? 'policy' : out;
}

function describe(issue: ZodIssue): string {
	if (issue.code === 'invalid_type' && issue.received === 'undefined') return `${formatPath(issue.path)}: is required`;
	if (issue.code === 'unrecognized_keys') {
		return `${formatPath(issue.path)}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
	}
	return `${formatPath(issue.path)}: ${issue.message}`;
}

/** Validates a policy given as an object or as JSON text. Throws PolicyError naming every problem's path. */
export function parsePolicy(input: unknown): Policy {
	const raw = typeof input === 'string' ? parseJson(input) : input;
	if (raw instanceof SyntaxError) throw new PolicyError([`policy: not valid JSON (${raw.message})`]);
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		throw new PolicyError(['policy: must be a JSON object with destinations, rules and defaultDestination']);
	}
	const result = policySchema.safeParse(raw);
	if (!result.success) throw new PolicyError(result.error.issues.map(describe));
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
