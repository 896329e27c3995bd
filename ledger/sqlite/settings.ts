import type { DatabaseSync } from 'node:sqlite';

/** The settings of a connection to an embedded ledger file, once the file is in WAL mode. */
export function applyLedgerSettings(db: DatabaseSync) {
	// FULL: a committed batch survives a power cut, not only a process crash; one fsync per batch.
	db.exec('PRAGMA synchronous = FULL');
	// 8 MiB of page cache: a million-row ledger's hot index pages stay in memory between batches. 32 MiB measured no
	// faster (a 10,000-decision batch on a 1M-row ledger 135-142 ms against 123-130, a one-ticket batch p50 1.7-2.1 ms
	// against 1.8-1.9) and a 100,000-ticket batch filled all of it: ~40 MB more peak memory in the n8n process.
	db.exec('PRAGMA cache_size = -8192');
	// Checkpoint every ~40 MB of WAL rather than 4 MB: a 10,000-decision batch alone writes a few MB, and pages
	// that several batches touch (index tails, rollups) are then copied into the file once, not per batch.
	db.exec('PRAGMA wal_autocheckpoint = 10000');
}
