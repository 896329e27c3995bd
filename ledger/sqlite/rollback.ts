import type { DatabaseSync } from 'node:sqlite';

/** Rolls back if a transaction is open (SQLite may already have rolled it back itself, e.g. on SQLITE_FULL). */
export function rollback(db: DatabaseSync) {
	try {
		db.exec('ROLLBACK');
	} catch {
		// no transaction was open
	}
}
