const RANK = new Map<string, number>(Object.entries({
	urgent: 4,
	critical: 4,
	emergency: 4,
	p1: 4,
	high: 3,
	p2: 3,
	normal: 2,
	medium: 2,
	p3: 2,
	low: 1,
	p4: 1,
}));

/** The priority labels this package knows without a policy saying so. */
export const KNOWN_PRIORITIES: readonly string[] = [...RANK.keys()];

/** How urgent a priority label is, 1 (low) to 4 (urgent). Unknown or missing labels count as normal. */
export function priorityRank(priority: string | null): number {
	return (priority !== null && RANK.get(priority)) || 2;
}
