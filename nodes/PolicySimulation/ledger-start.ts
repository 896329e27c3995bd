import type { CompiledPolicy } from '../../domain/policy/compile';
import { snapshotRequest } from '../../domain/routing/decide';
import type { SimulationStart } from '../../domain/routing/simulate';
import type { ReplayEntry } from '../../domain/routing/simulate-counts';
import type { Ledger } from '../../ledger/ledger';

const DAY = 86_400_000;
const PAGE = 5_000;

/**
 * The ledger's state where a replay starting at `first` begins: every decision of the policy's scope young enough to
 * count in one of its windows at `first` (the share window, the last day, this month), oldest first, and the overflow
 * and quality state as the ledger holds them now. Read-only.
 */
export async function ledgerStart(ledger: Ledger, policy: CompiledPolicy, first: number): Promise<SimulationStart> {
	const request = snapshotRequest(policy, [], first);
	const from = Math.min(first - request.shareWindowMs, first - DAY, first - request.internalWindowMs, request.monthStart);
	const history: ReplayEntry[] = [];
	let cursor: string | undefined;
	do {
		const page = await ledger.list({ scope: policy.scope, from, to: first, limit: PAGE, cursor });
		for (const r of page.rows) history.push({ at: r.decidedAt, kind: r.kind, vendor: r.vendor, cost: r.costEstimate });
		cursor = page.nextCursor ?? undefined;
	} while (cursor);
	// list() pages newest first.
	history.reverse();
	const snapshot = await ledger.snapshot(policy.scope, request);
	return { history, overflowActive: snapshot.overflowActive, quality: snapshot.quality, qualityBelow: snapshot.qualityBelow };
}
