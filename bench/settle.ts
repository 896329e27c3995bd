import { execFileSync } from 'node:child_process';
import { DatabaseSync } from 'node:sqlite';

/**
 * Puts a freshly seeded ledger at rest before anything is timed, as a lived one is: the embedded file's WAL copied into
 * it, PostgreSQL's dirty buffers written (CHECKPOINT), then the kernel's write-back of both flushed (sync). Otherwise
 * the first timed batches' fsyncs queue behind a million rows' worth of the seed's pages (seen in one run: one-ticket
 * executions of 123–385 ms among 2 ms ones).
 */
export async function settleSeededLedgers(sqliteFile: string, checkpointPostgres?: () => Promise<unknown>) {
	const db = new DatabaseSync(sqliteFile);
	try {
		db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
	} finally {
		db.close();
	}
	await checkpointPostgres?.();
	execFileSync('sync');
}
