import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

import { LedgerUnavailableError } from '../../../ledger/errors';

/** Where n8n keeps its own files: `$N8N_USER_FOLDER/.n8n`, or `~/.n8n`. */
function n8nFolder(env: NodeJS.ProcessEnv): string {
	return join(env.N8N_USER_FOLDER || homedir(), '.n8n');
}

export function defaultLedgerFolder(env: NodeJS.ProcessEnv = process.env): string {
	return join(n8nFolder(env), 'support-delegation');
}

/**
 * The embedded ledger's file: the node parameter when set (`~/` expanded, relative paths under the default
 * folder), otherwise `<n8n folder>/support-delegation/ledger.sqlite`.
 */
export function ledgerFilePath(parameter: string, env: NodeJS.ProcessEnv = process.env): string {
	const file = parameter.trim();
	if (!file) return join(defaultLedgerFolder(env), 'ledger.sqlite');
	if (file === '~' || file.startsWith('~/')) return join(homedir(), file.slice(1));
	return isAbsolute(file) ? file : resolve(defaultLedgerFolder(env), file);
}

/**
 * In queue mode every worker runs the router: with the embedded ledger each worker host would write its own
 * file, and caps would be counted per worker. Refuse, unless the operator declares one shared host and file.
 */
export function assertEmbeddedAllowed(path: string, env: NodeJS.ProcessEnv = process.env) {
	if (env.EXECUTIONS_MODE !== 'queue' || env.SUPPORT_DELEGATION_SINGLE_HOST === 'true') return;
	throw new LedgerUnavailableError(
		`n8n runs in queue mode (EXECUTIONS_MODE=queue): each worker would write its own embedded ledger file (${path}) ` +
			'and caps, shares and idempotency would be counted per worker. Set the ledger to PostgreSQL, or, if every ' +
			'worker runs on this host and shares this file, set SUPPORT_DELEGATION_SINGLE_HOST=true.',
		path,
	);
}
