/**
 * Keyset pagination for `list`: pages are ordered newest first (decided_at DESC, id DESC) and the cursor is
 * the last row's key, so page N costs the same as page 1 and rows inserted meanwhile never shift a page.
 */
export interface ListKey {
	decidedAt: number;
	id: string;
}

export function encodeCursor(key: ListKey): string {
	return Buffer.from(JSON.stringify([key.decidedAt, key.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListKey {
	try {
		const [decidedAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
		if (typeof decidedAt === 'number' && typeof id === 'string') return { decidedAt, id };
	} catch {
		// fall through to the error below
	}
	throw new Error(`Invalid ledger cursor "${cursor}": pass the nextCursor of the previous page unchanged`);
}
