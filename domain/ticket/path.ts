/**
 * Paths into plain JSON: `ticket.subject`, `via.channel`, `custom_fields.0.value`, and the same in the brackets n8n
 * expressions use: `custom_fields[0].value`, `fields["cf.tier"]` (a quoted key may hold dots). A numeric step indexes
 * an array. The one path reader of the package: the router's ticket fields and rule conditions, the hand-off's
 * allow-list and field redaction, the vendor's reference field. Only own properties are followed, so a path such as
 * `__proto__.x` or `constructor` reads nothing instead of Object.prototype's members.
 */

/** Reads one value out of a payload. Compiled once per execution, called once per item. */
export type PathGetter = (payload: unknown) => unknown;

/** A step in brackets where a `[` stands: an index `[0]`, or a key in double or single quotes (`\` escapes). */
const BRACKET = /\[(?:(\d+)|"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')\]/y;
const ESCAPE = /\\(.)/g;

interface ParsedPath {
	steps: string[];
	/** Why the path does not read as written (a bracket that is neither an index nor a quoted key), or null. */
	problem: string | null;
}

/**
 * Splits a path into its steps. Dots separate keys (blanks around them ignored, empty keys dropped); a bracket
 * holding an index or a quoted key is a step of its own. A bracket that is neither is kept as part of its key, as
 * it always was (a key may be named `a[x]`), and reported as the path's problem, which the policy refuses.
 */
function parsePath(path: string): ParsedPath {
	if (!path.includes('[') && !path.includes(']')) return { steps: dotted(path), problem: null };
	const steps: string[] = [];
	let problem: string | null = null;
	let key = '';
	const flush = () => {
		const trimmed = key.trim();
		if (trimmed !== '') steps.push(trimmed);
		key = '';
	};
	for (let i = 0; i < path.length; ) {
		const c = path[i];
		if (c === '.') {
			flush();
			i++;
			continue;
		}
		if (c === '[') {
			BRACKET.lastIndex = i;
			const m = BRACKET.exec(path);
			if (m) {
				flush();
				steps.push(m[1] ?? (m[2] ?? m[3]).replace(ESCAPE, '$1'));
				i = BRACKET.lastIndex;
				if (i < path.length && path[i] !== '.' && path[i] !== '[' && path[i].trim() !== '') problem ??= `"${m[0]}" is followed by "${path[i]}": put a dot before the next key`;
				continue;
			}
		}
		if (c === '[' || c === ']') problem ??= `the bracket at position ${i + 1} is not an array index ([0]) or a quoted key (["name"])`;
		key += c;
		i++;
	}
	flush();
	return { steps, problem };
}

function dotted(path: string): string[] {
	return path
		.split('.')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** The steps of a path: keys between dots, bracketed indexes and quoted keys (see parsePath). */
export function pathSegments(path: string): string[] {
	return parsePath(path).steps;
}

/**
 * Why a path would not read as it looks, or null: `custom_fields[x].value` would look for a key named
 * "custom_fields[x]". Names the path and how to write it.
 */
export function pathProblem(path: string): string | null {
	const { problem } = parsePath(path);
	if (problem === null) return null;
	return `path "${path}" cannot be read: ${problem}. Write array indexes and keys with dots (custom_fields.0.value) or in brackets (custom_fields[0].value, fields["cf.tier"])`;
}

/** A missing step yields undefined, never an exception. */
export function compilePath(path: string): PathGetter {
	const segments = pathSegments(path);
	if (segments.length === 0) return () => undefined;
	if (segments.length === 1) {
		const [key] = segments;
		return (payload) => readStep(payload, key);
	}
	return (payload) => {
		let value: unknown = payload;
		for (const key of segments) {
			value = readStep(value, key);
			if (value === undefined) return undefined;
		}
		return value;
	};
}

export function readPath(source: unknown, path: string): unknown {
	return compilePath(path)(source);
}

/** A copy of `target` with `value` at `path`; containers on the way are copied, never mutated. */
export function writePath<T>(target: T, path: string, value: unknown): T {
	const keys = pathSegments(path);
	if (keys.length === 0) return target;
	const write = (node: unknown, i: number): unknown => {
		const container: Record<string, unknown> = Array.isArray(node)
			? ([...node] as unknown as Record<string, unknown>)
			: { ...(isObject(node) ? node : {}) };
		const key = keys[i];
		// defineProperty, not assignment: a key named __proto__ becomes data, never the copy's prototype.
		Object.defineProperty(container, key, {
			value: i === keys.length - 1 ? value : write(readStep(container, key), i + 1),
			enumerable: true,
			writable: true,
			configurable: true,
		});
		return container;
	};
	return write(target, 0) as T;
}

/**
 * One step of a path (a key or an index, as pathSegments gives them): what a caller walking the segments itself must
 * use, as a segment may hold dots or brackets (a quoted key: `fields["cf.tier"]` → `cf.tier`) and is not a path.
 */
export function readStep(value: unknown, key: string): unknown {
	return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
