import type * as Sqlite from 'node:sqlite';

import { LedgerUnavailableError } from '../errors';

/**
 * node:sqlite is loaded on first use, never at import: n8n on a Node without it must still load the package
 * (and can use the PostgreSQL ledger).
 */
export function loadSqlite(path: string): typeof Sqlite {
	let sqlite: typeof Sqlite | undefined;
	try {
		sqlite = process.getBuiltinModule?.('node:sqlite') as typeof Sqlite | undefined;
	} catch {
		sqlite = undefined;
	}
	if (!sqlite?.DatabaseSync) {
		throw new LedgerUnavailableError(
			`The embedded ledger (${path}) needs node:sqlite, built into Node.js 22.13 or newer; this n8n runs on Node.js ${process.versions.node}. ` +
				'Upgrade Node.js, or set the ledger to PostgreSQL.',
			path,
		);
	}
	return sqlite;
}
