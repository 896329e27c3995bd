/** `['rules', 2, 'target']` → `rules[2].target`: the exact path in a JSON policy. */
export function formatPath(path: ReadonlyArray<string | number>): string {
	let out = '';
	for (const part of path) out += typeof part === 'number' ? `[${part}]` : out === '' ? part : `.${part}`;
	return out === '' ? 'policy' : out;
}

const LABELS: Record<string, string> = { rules: 'Rule', destinations: 'Destination', schedules: 'Schedule' };

/**
 * Where a path is, as a person finds it in the editor: `Rule 5 "Peak overflow"` (counted from one, named by its
 * name or id), then the field inside it, then the JSON path for people editing a JSON policy:
 * `Rule 5 "Peak overflow" › targets[1] (rules[4].targets[1])`. `policy` is the policy as given (names may be invalid).
 */
export function placeOf(path: ReadonlyArray<string | number>, policy: unknown): string {
	const [head, index, ...rest] = path;
	if (typeof head !== 'string' || typeof index !== 'number' || !(head in LABELS)) return formatPath(path);
	const list = (policy as Record<string, unknown> | null)?.[head];
	const entry = Array.isArray(list) ? (list[index] as Record<string, unknown> | undefined) : undefined;
	const name = [entry?.name, entry?.id].find((v): v is string => typeof v === 'string' && v.trim() !== '');
	const who = `${LABELS[head]} ${index + 1}${name ? ` "${name.trim()}"` : ''}`;
	return `${who}${rest.length ? ` › ${formatPath(rest)}` : ''} (${formatPath(path)})`;
}
