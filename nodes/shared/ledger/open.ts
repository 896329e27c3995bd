import type { IExecuteFunctions, INodeProperties, IPollFunctions } from 'n8n-workflow';

import type { Ledger } from '../../core/ledger/ledger';
import { MemoryLedger } from '../../core/ledger/memory';

/**
 * Ledger parameters shared by every node that reads or writes the ledger.
 * Interim: the durable backends (embedded SQLite, PostgreSQL) replace this with their settings.
 */
export const ledgerProperties: INodeProperties[] = [];

let processLedger: MemoryLedger | undefined;

/** The ledger a node execution uses, opened lazily and shared across executions in this process. */
export async function openLedger(_ctx: IExecuteFunctions | IPollFunctions): Promise<Ledger> {
	processLedger ??= new MemoryLedger();
	return processLedger;
}
