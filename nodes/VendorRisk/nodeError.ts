import type { INode } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { LedgerUnavailableError } from '../core/ledger/errors';

/**
 * Any failure as the NodeOperationError n8n shows: kept as is when it already is one, and a ledger that cannot
 * be reached says where it is (file path or host:port) in the description.
 */
export function toNodeError(node: INode, caught: unknown, itemIndex?: number): NodeOperationError {
	if (caught instanceof NodeOperationError) return caught;
	const unavailable = caught instanceof LedgerUnavailableError || (caught instanceof Error && caught.name === 'LedgerUnavailableError');
	return new NodeOperationError(node, caught as Error, {
		itemIndex,
		description: unavailable ? `Ledger: ${(caught as LedgerUnavailableError).location}` : undefined,
	});
}
