/** Runs `fn` with the process (the n8n server) in another time zone; Node re-reads TZ when it is assigned. */
export function onServerIn<T>(zone: string, fn: () => T): T {
	const previous = process.env.TZ;
	process.env.TZ = zone;
	try {
		return fn();
	} finally {
		if (previous === undefined) delete process.env.TZ;
		else process.env.TZ = previous;
	}
}
