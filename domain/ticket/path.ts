/**
 * Dot paths into plain JSON: `ticket.subject`, `via.channel`, `custom_fields.0.value` (numeric segments index
 * arrays). The one path reader of the package: the router's ticket fields, the hand-off's allow-list and field
 * redaction, the vendor's reference field. Only own properties are followed, so a path such as `__proto__.x` or
 * `constructor` reads nothing instead of Object.prototype's members.
 */

/** Reads one value out of a payload. Compiled once per execution, called once per item. */
export type PathGetter = (payload: unknown) => unknown;

/** The segments of a path; blanks around dots are ignored, empty segments dropped. */
export function pathSegments(path: string): string[] {
	return path
		.split('.')
		.map((s) => s.trim())
		.filter((s) => s !== '');
}

/** A missing step yields undefined, never an exception. */
export function compilePath(path: string): PathGetter {
	const segments = pathSegments(path);
	if (segments.length === 0) return () => undefined;
	if (segments.length === 1) {
		const [key] = segments;
		return (payload) => step(payload, key);
	}
	return (payload) => {
		let value: unknown = payload;
		for (const key of segments) {
			value = step(value, key);
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
			value: i === keys.length - 1 ? value : write(step(container, key), i + 1),
			enumerable: true,
			writable: true,
			configurable: true,
		});
		return container;
	};
	return write(target, 0) as T;
}

function step(value: unknown, key: string): unknown {
	return isObject(value) && Object.hasOwn(value, key) ? value[key] : undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
