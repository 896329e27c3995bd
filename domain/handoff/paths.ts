/** Dotted paths into plain JSON: "requester.email", "custom_fields.0.value". */

export function readPath(source: unknown, path: string): unknown {
	let current: unknown = source;
	for (const key of path.split('.')) {
		if (current === null || typeof current !== 'object') return undefined;
		current = (current as Record<string, unknown>)[key];
	}
	return current;
}

/** A copy of `target` with `value` at `path`; containers on the way are copied, never mutated. */
export function writePath<T>(target: T, path: string, value: unknown): T {
	const keys = path.split('.');
	const write = (node: unknown, i: number): unknown => {
		const container: Record<string, unknown> = Array.isArray(node)
			? ([...node] as unknown as Record<string, unknown>)
			: { ...(node && typeof node === 'object' ? (node as Record<string, unknown>) : {}) };
		const key = keys[i];
		container[key] = i === keys.length - 1 ? value : write(container[key], i + 1);
		return container;
	};
	return write(target, 0) as T;
}
