import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LedgerUnavailableError } from '../../ledger/errors';

/** By class or by name: a ledger error that crossed a copy of this package still counts. */
export function isLedgerUnavailable(error: unknown): error is LedgerUnavailableError {
	return error instanceof LedgerUnavailableError || (error instanceof Error && error.name === 'LedgerUnavailableError');
}

/**
 * Any failure as the NodeOperationError n8n shows: kept as is when it already is one, and a ledger that cannot
 * be reached says where it is (file path or host:port) in the description.
 */
export function toNodeError(node: INode, caught: unknown, itemIndex?: number): NodeOperationError {
	if (caught instanceof NodeOperationError) return caught;
	return new NodeOperationError(node, caught as Error, {
		itemIndex,
		description: isLedgerUnavailable(caught) ? `Ledger: ${caught.location}` : undefined,
	});
}
