import type { SnapshotRequest } from '../model';

/**
 * The request as of the moment its transaction holds the scope's lock. A batch that waited for the lock
 * must not stamp its decisions before the batch that committed ahead of it: replaying the ledger in time
 * order must then be replaying it in commit order, or a cap that held at every commit would seem broken.
 * Never earlier than the latest recorded decision either, so clocks that differ between queue-mode hosts
 * cannot reorder it. (`monthStart` stays the caller's: a wait across a month boundary only makes the
 * first seconds of the new month count the old month's spend, refusing rather than overspending.)
 */
export function stampedAfterLock(request: SnapshotRequest, latestDecidedAt: number | null): SnapshotRequest {
	return { ...request, now: Math.max(request.now, Date.now(), latestDecidedAt ?? 0) };
}
