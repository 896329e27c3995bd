import { LedgerUnavailableError } from '../errors';

// Primary SQLite result codes (extended codes carry them in the low byte).
const BUSY = 5;
const LOCKED = 6;
const READONLY = 8;
const IOERR = 10;
const CORRUPT = 11;
const FULL = 13;
const CANTOPEN = 14;
const NOTADB = 26;

const WHY: Record<number, string> = {
	[BUSY]: 'is locked by another process (ledger busy)',
	[LOCKED]: 'is locked',
	[READONLY]: 'is read-only',
	[IOERR]: 'could not be read or written (I/O error)',
	[CORRUPT]: 'is corrupt',
	[FULL]: 'cannot grow: the disk is full',
	[CANTOPEN]: 'cannot be opened (check the folder exists and n8n may write to it)',
	[NOTADB]: 'is not an SQLite database (corrupt, or another kind of file)',
};

/** Turns file-level SQLite failures into LedgerUnavailableError naming the file; anything else is returned as is. */
export function sqliteFailure(error: unknown, path: string): unknown {
	if (error instanceof LedgerUnavailableError) return error;
	const fsCode = (error as NodeJS.ErrnoException)?.code;
	if (typeof fsCode === 'string' && /^E[A-Z]+$/.test(fsCode)) {
		// The folder could not be made (a file in the way, no permission, read-only disk): the same kind of failure.
		return new LedgerUnavailableError(`The delegation ledger file ${path} cannot be created: ${(error as Error).message}`, path, { cause: error });
	}
	const code = (error as { errcode?: unknown })?.errcode;
	if (typeof code !== 'number') return error;
	const why = WHY[code & 0xff];
	if (!why) return error;
	const detail = (error as Error).message;
	return new LedgerUnavailableError(`The delegation ledger file ${path} ${why}: ${detail}`, path, { cause: error });
}
