import { LedgerUnavailableError } from '../errors';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'EPIPE']);

/** SQLSTATE classes and codes that mean "the server cannot be used", not "this statement is wrong". */
function unreachable(code: string): boolean {
	return (
		NETWORK.has(code) ||
		code.startsWith('08') || // connection exception
		code.startsWith('28') || // invalid authorization
		code === '3D000' || // database does not exist
		code === '53300' || // too many connections
		code === '57P01' || // admin shutdown
		code === '57P02' || // crash shutdown
		code === '57P03' // cannot connect now
	);
}

/** Turns "PostgreSQL cannot be reached or used" into LedgerUnavailableError naming host:port; anything else is returned as is. */
export function postgresFailure(error: unknown, location: string): unknown {
	if (error instanceof LedgerUnavailableError) return error;
	const code = String((error as { code?: unknown })?.code ?? '');
	const message = error instanceof Error ? error.message : String(error);
	const lost = /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(message);
	if (!unreachable(code) && !lost) return error;
	return new LedgerUnavailableError(
		`The PostgreSQL delegation ledger at ${location} is unavailable: ${message || code}`,
		location,
		{ cause: error },
	);
}
