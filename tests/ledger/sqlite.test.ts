import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';

import { LedgerUnavailableError } from '../../ledger/errors';
import { SqliteLedger } from '../../ledger/sqlite/sqlite-ledger';
import { ledgerContract } from './contract';
import { handoffContract } from './handoff-contract';
import { decision, request } from './fixtures';

const folder = mkdtempSync(join(tmpdir(), 'sd-ledger-sqlite-'));
let n = 0;

ledgerContract('sqlite', async () => SqliteLedger.open(join(folder, `contract-${++n}.sqlite`)));
handoffContract('sqlite', async () => SqliteLedger.open(join(folder, `contract-${++n}.sqlite`)));

describe('sqlite ledger faults', () => {
	it('reports a file locked by another process with its path, writes nothing, and works once the lock is gone', async () => {
		const file = join(folder, 'locked.sqlite');
		const ledger = await SqliteLedger.open(file, { lockWaitMs: 200 });
		const other = new DatabaseSync(file);
		other.exec('BEGIN EXCLUSIVE');
		try {
			const failure = await ledger
				.routeBatch('support', request(), () => ({ rows: [decision()], overflowActive: {}, result: null }))
				.catch((e: unknown) => e);
			expect(failure).toBeInstanceOf(LedgerUnavailableError);
			expect((failure as Error).message).toContain(file);
			expect((failure as Error).message).toMatch(/^Ledger busy: .*locked by another process/);
		} finally {
			other.exec('ROLLBACK');
			other.close();
		}
		expect((await ledger.list({})).rows).toEqual([]);
		await ledger.routeBatch('support', request(), () => ({ rows: [decision()], overflowActive: {}, result: null }));
		expect((await ledger.list({})).rows).toHaveLength(1);
		await ledger.close();
		await expect(ledger.list({})).rejects.toThrow(/is closed/);
	});

	it('reports a ledger folder it cannot create with the path (a file stands where the folder should be)', async () => {
		const blocker = join(folder, 'not-a-folder');
		writeFileSync(blocker, 'x');
		const file = join(blocker, 'ledger.sqlite');
		const failure = await SqliteLedger.open(file).catch((e: unknown) => e);
		expect(failure).toBeInstanceOf(LedgerUnavailableError);
		expect((failure as LedgerUnavailableError).location).toBe(file);
		expect((failure as Error).message).toContain(`${file} cannot be created`);
	});
});
