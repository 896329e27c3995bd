import { LedgerUnavailableError } from '../errors';
import { sqliteFailure } from './errors';

/**
 * SQLite's own busy handler sleeps inside the call, on the event loop: PRAGMA busy_timeout = 5000 froze the whole n8n
 * process for 5 s behind another process's lock. So SQLite waits only this long itself (a brief checkpoint or a
 * short batch ends within it), and anything longer is retried here, between event-loop turns.
 */
export const SQLITE_BUSY_TIMEOUT_MS = 5;

/** Default for how long an operation waits for another process's write lock before "ledger busy". */
export const DEFAULT_LOCK_WAIT_MS = 10_000;

const FIRST_PAUSE_MS = 2;
const MAX_PAUSE_MS = 50;

/** SQLITE_BUSY (5) in the low byte of a primary or extended result code, also under a wrapping error's cause. */
export function isBusy(error: unknown): boolean {
	const code = (error as { errcode?: unknown })?.errcode;
	if (typeof code === 'number') return (code & 0xff) === 5;
	const cause = (error as { cause?: unknown })?.cause;
	return cause !== undefined && cause !== error && isBusy(cause);
}

export function ledgerBusy(path: string, waitedMs: number, cause: unknown): LedgerUnavailableError {
	return new LedgerUnavailableError(
		`Ledger busy: the delegation ledger file ${path} stayed locked by another process for ${(waitedMs / 1000).toFixed(1)} s ` +
			'(Lock Wait). Nothing was written; run again once the other process has finished, or raise Lock Wait.',
		path,
		{ cause },
	);
}

/**
 * Runs `attempt` (one synchronous SQLite call that may find the file locked) until it goes through, pausing with
 * backoff between tries, and gives up with "ledger busy" at `deadline` (epoch ms). It is always tried at least once,
 * even past the deadline: a free lock costs nothing to take.
 */
export async function whileBusy<T>(attempt: () => T, deadline: number, path: string, started = Date.now()): Promise<T> {
	let pause = FIRST_PAUSE_MS;
	for (;;) {
		const tried = once(attempt);
		if (tried.ok) return tried.value;
		// Anything but a busy file is not waited out: classed (file-level failures name the file) and passed on.
		if (!isBusy(tried.error)) throw sqliteFailure(tried.error, path);
		const left = deadline - Date.now();
		if (left <= 0) throw ledgerBusy(path, Date.now() - started, tried.error);
		// Jitter: processes that met on the lock do not retry in step.
		await new Promise((resolve) => setTimeout(resolve, Math.min(left, pause * (0.5 + Math.random()))));
		pause = Math.min(MAX_PAUSE_MS, pause * 2);
	}
}

function once<T>(attempt: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	try {
		return { ok: true, value: attempt() };
	} catch (error) {
		return { ok: false, error };
	}
}
