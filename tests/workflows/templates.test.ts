import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { describe, expect, it } from 'vitest';

import { packageNodeTypes } from '../harness/node-types';

const DIR = join(__dirname, '..', '..', 'workflows');

/** n8n-nodes-base types the templates may use, with the versions n8n 2.41 ships (checked against `n8n export:nodes`). */
const BASE_TYPES: Record<string, number[]> = {
	'n8n-nodes-base.stickyNote': [1],
	'n8n-nodes-base.manualTrigger': [1],
	'n8n-nodes-base.webhook': [2, 2.1],
	'n8n-nodes-base.respondToWebhook': [1.4, 1.5],
	'n8n-nodes-base.scheduleTrigger': [1.2],
	'n8n-nodes-base.set': [3.4],
	'n8n-nodes-base.code': [2],
	'n8n-nodes-base.if': [2.2],
	'n8n-nodes-base.httpRequest': [4.2],
	'n8n-nodes-base.crypto': [2],
	'n8n-nodes-base.slack': [2.3],
	'n8n-nodes-base.emailSend': [2.1],
	'n8n-nodes-base.zendeskTrigger': [1],
	'n8n-nodes-base.zendesk': [1],
	'n8n-nodes-base.noOp': [1],
	'n8n-nodes-base.splitOut': [1],
	'n8n-nodes-base.merge': [3.2],
	// The AI triage template's extractor (n8n's LangChain nodes ship with n8n).
	'@n8n/n8n-nodes-langchain.informationExtractor': [1.2],
};

interface TemplateNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	parameters: Record<string, unknown>;
	credentials?: unknown;
	disabled?: boolean;
}
interface Template {
	id: string;
	name: string;
	nodes: TemplateNode[];
	connections: Record<string, { main: Array<Array<{ node: string }> | null> }>;
	meta?: Record<string, unknown>;
	[key: string]: unknown;
}

const files = readdirSync(DIR).filter((file) => file.endsWith('.json')).sort();
const templates = files.map((file) => ({ file, json: JSON.parse(readFileSync(join(DIR, file), 'utf8')) as Template }));
const ours = packageNodeTypes();

function description(type: string): INodeTypeDescription | undefined {
	const node = ours[type];
	if (!node) return undefined;
	return 'nodeVersions' in node ? node.nodeVersions[node.currentVersion].description : node.description;
}

describe('template workflows', () => {
	it('exist, each with a unique, stable id n8n accepts for `execute --id` (1–21 characters)', () => {
		expect(files.length).toBeGreaterThan(0);
		const ids = templates.map((t) => t.json.id);
		for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9]{1,21}$/);
		expect(new Set(ids).size).toBe(ids.length);
	});

	describe.each(templates)('$file', ({ json }) => {
		it('uses only node types and versions real n8n has (ours, or the n8n-nodes-base list)', () => {
			for (const node of json.nodes) {
				const ourDescription = description(node.type);
				const versions = ourDescription
					? [ourDescription.version].flat()
					: BASE_TYPES[node.type];
				expect(versions, `${node.name}: unknown node type ${node.type}`).toBeDefined();
				expect(versions, `${node.name}: ${node.type} has no version ${node.typeVersion}`).toContain(node.typeVersion);
			}
		});

		it("sets only parameters our nodes define (a typo would be silently dropped by n8n)", () => {
			for (const node of json.nodes) {
				const ourDescription = description(node.type);
				if (!ourDescription) continue;
				const names = new Set(ourDescription.properties.map((p: INodeProperties) => p.name));
				// n8n gives every polling trigger its schedule parameter.
				if (ourDescription.polling) names.add('pollTimes');
				for (const key of Object.keys(node.parameters)) expect(names, `${node.name}.${key}`).toContain(key);
			}
		});

		it('embeds no credentials, instance ids, pinned data or sharing', () => {
			expect(json.meta?.instanceId).toBeUndefined();
			for (const key of ['shared', 'homeProject', 'versionId', 'ownedBy', 'owner']) expect(json).not.toHaveProperty(key);
			expect(Object.keys((json.pinData as object | undefined) ?? {})).toEqual([]);
			for (const node of json.nodes) expect(node.credentials, node.name).toBeUndefined();
			expect(JSON.stringify(json)).not.toMatch(/"(apiKey|token|password|secret)"\s*:\s*"[^"={]+"/i);
		});

		it('explains itself in a sticky note and runs headless from a Manual Trigger', () => {
			const types = json.nodes.map((n) => n.type);
			expect(types).toContain('n8n-nodes-base.stickyNote');
			expect(types.filter((t) => t === 'n8n-nodes-base.manualTrigger')).toHaveLength(1);
			const manual = json.nodes.find((n) => n.type === 'n8n-nodes-base.manualTrigger')!;
			// `n8n execute` starts from the first trigger in the node list, so the Manual Trigger must come first.
			expect(json.nodes.find((n) => /trigger$/i.test(n.type))?.name).toBe(manual.name);
			expect(json.connections[manual.name]?.main[0]?.length, 'the Manual Trigger feeds something').toBeGreaterThan(0);
		});

		it('has connections between nodes that exist, and unique node names and ids', () => {
			const names = new Set(json.nodes.map((n) => n.name));
			expect(names.size).toBe(json.nodes.length);
			expect(new Set(json.nodes.map((n) => n.id)).size).toBe(json.nodes.length);
			for (const [from, { main }] of Object.entries(json.connections)) {
				expect(names, `connection from ${from}`).toContain(from);
				for (const targets of main) for (const target of targets ?? []) expect(names, `${from} → ${target.node}`).toContain(target.node);
			}
		});
	});
});
