/**
 * Checks a ledger's rows after a queue-mode run, from the rows alone: what an auditor could recompute.
 * Every check returns the violations it found as sentences (empty = holds), so a failing run says what broke.
 * It imports nothing from the package: shares and caps are recounted here with the README's own definitions, so a
 * bug in the router's share arithmetic cannot hide behind the same bug in the audit.
 */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface AuditRow {
	ticketId: string;
	decidedAt: number;
	kind: 'internal' | 'external';
	vendor: string | null;
	costEstimate: number;
	executionId: string | null;
	/** The order the ledger committed rows in (PostgreSQL: the identity column, assigned under the scope lock). */
	seq: number;
}

export interface VendorLimits {
	capacityPerHour?: number;
	capacityPerDay?: number;
	capacityPerMonth?: number;
	monthlyBudget?: number;
	maxShare?: number;
}

export interface Limits {
	vendors: Record<string, VendorLimits>;
	shareWindowMs: number;
	minVolumeForShareCap: number;
}

/** Exactly one decision per expected ticket: none missing, none twice, none unexpected. */
export function ticketCoverage(rows: readonly AuditRow[], expected: readonly string[]): string[] {
	const seen = new Map<string, number>();
	for (const row of rows) seen.set(row.ticketId, (seen.get(row.ticketId) ?? 0) + 1);
	const problems: string[] = [];
	const wanted = new Set(expected);
	for (const [ticket, n] of seen) {
		if (n > 1) problems.push(`ticket ${ticket} has ${n} decisions`);
		if (!wanted.has(ticket)) problems.push(`ticket ${ticket} was never sent but has a decision`);
	}
	for (const ticket of expected) if (!seen.has(ticket)) problems.push(`ticket ${ticket} has no decision`);
	return problems;
}

export type ReplayOrder = 'decidedAt' | 'commit';

function inOrder(rows: readonly AuditRow[], order: ReplayOrder): AuditRow[] {
	return [...rows].sort(order === 'commit' ? (a, b) => a.seq - b.seq : (a, b) => a.decidedAt - b.decidedAt || a.seq - b.seq);
}

/**
 * Rows stamped earlier than a row committed before them: a batch that took its time before waiting for the lock.
 * Replaying by decidedAt then shows counts no batch ever saw. Returns how many, and the largest gap in ms.
 */
export function stampInversions(rows: readonly AuditRow[]): { count: number; maxLagMs: number } {
	let latest = -Infinity;
	let count = 0;
	let maxLagMs = 0;
	for (const row of inOrder(rows, 'commit')) {
		if (row.decidedAt < latest) {
			count++;
			maxLagMs = Math.max(maxLagMs, latest - row.decidedAt);
		}
		latest = Math.max(latest, row.decidedAt);
	}
	return { count, maxLagMs };
}

function monthKey(at: number): string {
	return new Date(at).toISOString().slice(0, 7);
}

/**
 * Replays the ledger in decidedAt order (or, to diagnose, commit order) and checks every vendor limit at every point: the hourly and daily caps over
 * any trailing window ending at a decision, the monthly cap and budget per calendar month (UTC), and the max-share
 * guardrail for each ticket as it was routed: once the window holds at least `minVolumeForShareCap` delegated tickets
 * (this one included), no ticket may take its vendor's share of them above `maxShare`.
 */
export function limitViolations(rows: readonly AuditRow[], limits: Limits, order: ReplayOrder = 'decidedAt'): string[] {
	const problems: string[] = [];
	const ordered = inOrder(rows, order).filter((r) => r.kind === 'external');

	const byVendor = new Map<string, AuditRow[]>();
	for (const row of ordered) {
		if (!row.vendor) continue;
		let list = byVendor.get(row.vendor);
		if (!list) byVendor.set(row.vendor, (list = []));
		list.push(row);
	}
	for (const [vendor, list] of byVendor) {
		const limit = limits.vendors[vendor] ?? {};
		for (const [cap, window, label] of [
			[limit.capacityPerHour, HOUR, 'hour'],
			[limit.capacityPerDay, DAY, 'day'],
		] as const) {
			if (cap === undefined) continue;
			// Two pointers: [lo, hi] are the vendor's decisions in (t - window, t], t = each decision time in turn.
			let lo = 0;
			let worst = 0;
			let worstAt = 0;
			for (let hi = 0; hi < list.length; hi++) {
				while (list[lo].decidedAt <= list[hi].decidedAt - window) lo++;
				if (hi - lo + 1 > worst) [worst, worstAt] = [hi - lo + 1, list[hi].decidedAt];
			}
			if (worst > cap) {
				problems.push(`${vendor}: ${worst} tickets in the ${label} ending ${new Date(worstAt).toISOString()}, cap ${cap}`);
			}
		}
		const months = new Map<string, { count: number; cost: number }>();
		for (const row of list) {
			const month = months.get(monthKey(row.decidedAt)) ?? { count: 0, cost: 0 };
			month.count++;
			month.cost += row.costEstimate;
			months.set(monthKey(row.decidedAt), month);
		}
		for (const [month, { count, cost }] of months) {
			if (limit.capacityPerMonth !== undefined && count > limit.capacityPerMonth) {
				problems.push(`${vendor}: ${count} tickets in ${month}, monthly cap ${limit.capacityPerMonth}`);
			}
			// Costs are sums of decimals: allow float rounding, never a whole ticket.
			if (limit.monthlyBudget !== undefined && cost > limit.monthlyBudget + 1e-6) {
				problems.push(`${vendor}: cost ${cost} in ${month}, monthly budget ${limit.monthlyBudget}`);
			}
		}
	}

	// Share: each routed ticket against the delegated counts of the share window as they stood just before it.
	const inWindow = new Map<string, number>();
	let total = 0;
	let tail = 0;
	for (const row of ordered) {
		while (ordered[tail].decidedAt <= row.decidedAt - limits.shareWindowMs) {
			const old = ordered[tail++];
			total--;
			if (old.vendor) inWindow.set(old.vendor, (inWindow.get(old.vendor) ?? 0) - 1);
		}
		const vendor = row.vendor;
		const maxShare = vendor ? limits.vendors[vendor]?.maxShare : undefined;
		const before = vendor ? (inWindow.get(vendor) ?? 0) : 0;
		const after = { vendor: before + 1, total: total + 1 };
		if (vendor && maxShare !== undefined && after.total >= limits.minVolumeForShareCap && after.vendor / after.total > maxShare) {
			problems.push(
				`${vendor}: ticket ${row.ticketId} at ${new Date(row.decidedAt).toISOString()} took its share to ` +
					`${before + 1}/${total + 1} of delegated tickets, limit ${maxShare}`,
			);
		}
		total++;
		if (vendor) inWindow.set(vendor, before + 1);
	}
	return problems;
}

/**
 * All-or-nothing per execution: the rows one webhook execution wrote are exactly the tickets of one request. A crash
 * mid-batch that left half a request recorded, or one execution writing tickets of two requests, shows up here.
 */
export function partialBatches(rows: readonly AuditRow[], requests: ReadonlyArray<readonly string[]>): string[] {
	const requestOf = new Map<string, number>();
	requests.forEach((tickets, index) => tickets.forEach((t) => requestOf.set(t, index)));
	const byExecution = new Map<string, AuditRow[]>();
	const problems: string[] = [];
	for (const row of rows) {
		if (row.executionId === null) {
			problems.push(`ticket ${row.ticketId}: decision without an execution id`);
			continue;
		}
		let list = byExecution.get(row.executionId);
		if (!list) byExecution.set(row.executionId, (list = []));
		list.push(row);
	}
	for (const [execution, list] of byExecution) {
		const indexes = new Set(list.map((r) => requestOf.get(r.ticketId)));
		if (indexes.size !== 1 || indexes.has(undefined)) {
			problems.push(`execution ${execution} wrote tickets of ${indexes.size} requests: ${list.map((r) => r.ticketId).join(', ')}`);
			continue;
		}
		const request = requests[[...indexes][0]!];
		if (list.length !== request.length) {
			problems.push(`execution ${execution} wrote ${list.length} of the ${request.length} tickets of its request (${request.join(', ')})`);
		}
	}
	return problems;
}

/** Shares as reported (e.g. by the Vendor Risk report) against a recount of the raw rows. */
export function shareMismatches(reported: Record<string, number>, rows: readonly AuditRow[]): string[] {
	const counts: Record<string, number> = {};
	for (const row of rows) if (row.kind === 'external' && row.vendor) counts[row.vendor] = (counts[row.vendor] ?? 0) + 1;
	let delegated = 0;
	for (const vendor in counts) delegated += counts[vendor];
	const recount: Record<string, number> = {};
	for (const vendor in counts) recount[vendor] = counts[vendor] / delegated;
	const problems: string[] = [];
	for (const vendor of new Set([...Object.keys(recount), ...Object.keys(reported)])) {
		const a = reported[vendor] ?? 0;
		const b = recount[vendor] ?? 0;
		if (Math.abs(a - b) > 1e-9) problems.push(`${vendor}: reported share ${a}, recount ${b} (${counts[vendor] ?? 0} tickets)`);
	}
	return problems;
}
