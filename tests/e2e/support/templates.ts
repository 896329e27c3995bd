import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { REPO_ROOT } from '../../real-n8n';

export interface TemplateJson {
	id: string;
	name: string;
	nodes: Array<{ name: string; type: string; disabled?: boolean; credentials?: Record<string, { id: string; name: string }> }>;
	[key: string]: unknown;
}

export const TEMPLATE_DIR = join(REPO_ROOT, 'workflows');

/** Every template in workflows/, parsed, keyed by file name. */
export function loadTemplates(): Map<string, TemplateJson> {
	const templates = new Map<string, TemplateJson>();
	for (const file of readdirSync(TEMPLATE_DIR).filter((f) => f.endsWith('.json')).sort()) {
		templates.set(file, JSON.parse(readFileSync(join(TEMPLATE_DIR, file), 'utf8')));
	}
	return templates;
}

/**
 * The template as a user has it after picking credentials in the editor: each node that takes a credential of one of
 * the given types gets it. The files in workflows/ stay credential-free.
 */
export function withCredentials(template: TemplateJson, byType: Record<string, { id: string; name: string }>, nodeTypes: Record<string, string>): TemplateJson {
	return {
		...template,
		nodes: template.nodes.map((node) => {
			const credentialType = nodeTypes[node.type];
			return credentialType && byType[credentialType] ? { ...node, credentials: { [credentialType]: byType[credentialType] } } : node;
		}),
	};
}

/** The template with the named nodes enabled, as a user has it after following its sticky note to go live. */
export function withEnabled(template: TemplateJson, names: string[]): TemplateJson {
	return { ...template, nodes: template.nodes.map((node) => (names.includes(node.name) ? { ...node, disabled: false } : node)) };
}
