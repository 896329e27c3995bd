import { LedgerUnavailableError } from '../errors';
import { DEFAULT_POSTGRES_TIMEOUTS, RESPONSE_GRACE_MS, seconds, type PostgresTimeouts } from './timeouts';

const NETWORK = new Set(['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'EAI_AGAIN', 'EPIPE']);

/** SQLSTATE classes and codes that mean "the server cannot be used", not "this statement is wrong". */
function unreachable(code: string): boolean {
	return (
		NETWORK.has(code) ||
		code.startsWith('08') || // connection exception
		code.startsWith('28') || // invalid authorization
		code === '3D000' || // database does not exist
		code === '53300' || // too many connections
		code === '57P01' || // admin shutdown (a restart)
		code === '57P02' || // crash shutdown
		code === '57P03' // cannot connect now (starting up, shutting down)
	);
}

const LOST = /Connection terminated|Client has encountered a connection error|Connection closed/i;
// pg's Pool says the first, its Client the last when connectionTimeoutMillis runs out.
const CONNECT_TIMEOUT = /timeout exceeded when trying to connect|connection timeout|^timeout expired$/i;
const NO_ANSWER = /Query read timeout/i;

/** What went wrong in one sentence, or null when it is not about the ledger being usable. */
function why(code: string, message: string, t: PostgresTimeouts): string | null {
	if (code === '55P03') return `a lock was not granted within Lock Wait (${seconds(t.lockWaitMs)}): ${message}`;
	if (code === '57014') return `a statement ran longer than Statement Timeout (${seconds(t.statementMs)}): ${message}`;
	if (code === '25P03') return `the server ended a session left idle in a transaction (${seconds(t.idleInTransactionMs)}): ${message}`;
	if (NO_ANSWER.test(message)) {
		return `the server did not answer within Statement Timeout (${seconds(t.statementMs)}) + ${seconds(RESPONSE_GRACE_MS)}; the connection was dropped`;
	}
	if (CONNECT_TIMEOUT.test(message)) return `no connection within Connect Timeout (${seconds(t.connectMs)}): ${message}`;
	if (unreachable(code) || LOST.test(message)) return message || code;
	return null;
}

/**
 * Turns "PostgreSQL cannot be reached, answered too late, or a lock stayed taken" into LedgerUnavailableError naming
 * host:port/database and the limit that ran out; anything else (a statement the server refused) is returned as is.
 */
export function postgresFailure(
	error: unknown,
	location: string,
	timeouts: PostgresTimeouts = DEFAULT_POSTGRES_TIMEOUTS,
	/** Set while waiting for a policy scope's advisory lock: a lock timeout then names the scope. */
	scope?: string,
): unknown {
	if (error instanceof LedgerUnavailableError) return error;
	const code = String((error as { code?: unknown })?.code ?? '');
	const message = error instanceof Error ? error.message : String(error);
	const reason =
		scope !== undefined && code === '55P03'
			? `policy scope "${scope}" stayed locked for Lock Wait (${seconds(timeouts.lockWaitMs)}): another execution is still ` +
				'writing a batch of that scope, or a stalled session holds its lock until the server ends it'
			: why(code, message, timeouts);
	if (reason === null) return error;
	return new LedgerUnavailableError(`The PostgreSQL delegation ledger at ${location} is unavailable: ${reason}`, location, {
		cause: error,
	});
}

/**
 * The connection itself is in doubt (cut, refused, ended by the server, or silent past the client's limit), so it
 * must not go back to the pool or be asked to ROLLBACK. After a statement the server refused, or an error of our own
 * code between statements, the connection is fine and is rolled back and reused.
 */
export function connectionBroken(error: unknown): boolean {
	const code = String((error as { code?: unknown })?.code ?? '');
	const message = error instanceof Error ? error.message : String(error);
	return (
		NETWORK.has(code) ||
		code.startsWith('08') ||
		code.startsWith('57P') ||
		code === '25P03' ||
		LOST.test(message) ||
		NO_ANSWER.test(message) ||
		CONNECT_TIMEOUT.test(message)
	);
}

/**
 * The server or the network ended the connection (it answered that it was ending it, or the socket closed or was
 * reset): a broken connection that did not merely go silent or fail to open, which are waited out once, never twice.
 */
export function connectionEnded(error: unknown): boolean {
	const raw = error instanceof LedgerUnavailableError && error.cause !== undefined ? error.cause : error;
	const message = raw instanceof Error ? raw.message : String(raw);
	const silent = NO_ANSWER.test(message) || CONNECT_TIMEOUT.test(message) || (raw as { code?: unknown })?.code === 'ETIMEDOUT';
	return !silent && connectionBroken(raw);
}
