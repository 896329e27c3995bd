import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';

/** Opens the embedded ledger file a workflow wrote, for a look or a write between executions, and closes it after. */
export async function withLedger<T>(file: string, fn: (ledger: SqliteLedger) => Promise<T>): Promise<T> {
	const ledger = await SqliteLedger.open(file);
	try {
		return await fn(ledger);
	} finally {
		await ledger.close();
	}
}
