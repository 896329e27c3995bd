/**
 * The ledger cannot be reached or used (file locked or corrupt, PostgreSQL down, node:sqlite missing).
 * The message always says where: the file path or host:port, so an operator can act on it.
 */
export class LedgerUnavailableError extends Error {
	constructor(
		message: string,
		readonly location: string,
		options?: { cause?: unknown },
	) {
		super(message, options);
		this.name = 'LedgerUnavailableError';
	}
}
