import type { DatabaseSync } from 'node:sqlite';

/** The settings of a connection to an embedded ledger file, once the file is in WAL mode. */
export function applyLedgerSettings(db: DatabaseSync) {
	// FULL: a committed batch survives a power cut, not only a process crash; one fsync per batch.
	db.exec('PRAGMA synchronous = FULL');
	// 32 MiB of page cache: a million-row ledger's hot index pages stay in memory between batches.
	db.exec('PRAGMA cache_size = -32768');
	// Checkpoint every ~40 MB of WAL rather than 4 MB: a 10,000-decision batch alone writes a few MB, and pages
	// that several batches touch (index tails, rollups) are then copied into the file once, not per batch.
	db.exec('PRAGMA wal_autocheckpoint = 10000');
}
