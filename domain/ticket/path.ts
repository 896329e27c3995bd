/** Reads one value out of a payload. Compiled once per execution, called once per item. */
export type PathGetter = (payload: unknown) => unknown;

/**
 * Compiles a dot path (`ticket.subject`, `via.channel`, `custom_fields.0.value`) into a getter.
 * Numeric segments index arrays. A missing step yields undefined, never an exception.
 */
export function compilePath(path: string): PathGetter {
	const segments = path
		.split('.')
		.map((s) => s.trim())
		.filter((s) => s !== '');
	if (segments.length === 0) return () => undefined;
	if (segments.length === 1) {
		const [key] = segments;
		return (payload) => (isObject(payload) ? payload[key] : undefined);
	}
	return (payload) => {
		let value: unknown = payload;
		for (const key of segments) {
			if (!isObject(value)) return undefined;
			value = value[key];
		}
		return value;
	};
}

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}
