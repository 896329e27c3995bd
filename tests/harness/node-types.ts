import type { INodeType, IVersionedNodeType } from 'n8n-workflow';

import { PACKAGE_NODES } from './package-nodes';

/** Every node class of the package, keyed by the type name users get after a community install. */
export function packageNodeTypes(): Record<string, INodeType | IVersionedNodeType> {
	const types: Record<string, INodeType | IVersionedNodeType> = {};
	for (const NodeClass of PACKAGE_NODES) {
		const instance = new NodeClass();
		const name = 'nodeVersions' in instance ? instance.description.name : instance.description.name;
		types[`n8n-nodes-support-delegation.${name}`] = instance;
	}
	return types;
}
