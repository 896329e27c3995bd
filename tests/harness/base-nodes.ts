import { dirname, join } from 'node:path';
import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { ensureN8n } from '../real-n8n/env';

/**
 * A node of n8n-nodes-base as the pinned real n8n ships it (e.g. the Set node), for workflow tests that need the
 * nodes users put between ours. Loaded from the real n8n install, which scripts/ensure-n8n.sh provides.
 */
export function baseNode(folder: string, className: string): INodeType | IVersionedNodeType {
	const modules = join(dirname(ensureN8n().bin), '..');
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const loaded = require(join(modules, 'n8n-nodes-base', 'dist', 'nodes', folder, `${className}.node.js`)) as Record<string, new () => INodeType>;
	return new loaded[className]();
}
