import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { openLedger } from './open';

/**
 * The Policy Scope list of the ledger nodes: the scope a Ticket Router chose once, offered wherever the ledger
 * already holds decisions under it (with this node's ledger settings), plus "default" and, where `all` is
 * allowed, every scope. A ledger that cannot be opened yet offers only those; the field also takes an expression.
 */
export async function policyScopes(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	let recorded: string[] = [];
	try {
		recorded = await (await openLedger(this)).scopes();
	} catch {
		recorded = [];
	}
	const scopes = [...new Set(['default', ...recorded])];
	return [{ name: 'All Scopes', value: '', description: 'Every scope in the ledger (not for recording outcomes)' }, ...scopes.map((s) => ({ name: s, value: s }))];
}

/** The Policy Scope parameter, as an options list the ledger fills (existing string values stay valid). */
export const policyScopeField = {
	type: 'options' as const,
	typeOptions: { loadOptionsMethod: 'policyScopes', loadOptionsDependsOn: ['ledger', 'ledgerFile', 'ledgerSchema'] },
	// Saved workflows hold any scope text; a scope not yet in the ledger is still a valid value.
	allowArbitraryValues: true,
};
