import type { IExecuteFunctions, INode, NodeParameterValueType } from 'n8n-workflow';

/**
 * A node's settings for one execution, read from one copy of the node. n8n's getNodeParameter resolves a value for an
 * item: it copies it, looks the parameter up among the node's properties (the Ticket Router's 32, over three versions)
 * and checks where it is shown, and its first call of an execution builds the expression context
 * (resume URLs and all). A one-ticket execution read a dozen settings that way, a good part of its time in n8n. A
 * setting with no expression in it is the value n8n loaded with the workflow (defaults filled in, nothing to
 * resolve), taken from the copy `getNode()` returns; one with an expression anywhere in it goes through
 * getNodeParameter as before, resolved for item 0 (settings are never per item here).
 */
export class NodeSettings {
	readonly node: INode;

	constructor(private readonly ctx: IExecuteFunctions) {
		this.node = ctx.getNode();
	}

	/**
	 * The setting `name` (a top-level parameter), or `fallback` when the node has none; without a fallback, a setting the
	 * node lacks fails as getNodeParameter fails.
	 */
	get<T = NodeParameterValueType>(name: string, fallback?: T): T {
		if (name.includes('.')) return this.ctx.getNodeParameter(name, 0, fallback as never) as T;
		const value = this.node.parameters[name];
		if (value === undefined && fallback !== undefined) return fallback;
		if (value === undefined || holdsExpression(value)) return this.ctx.getNodeParameter(name, 0, fallback as never) as T;
		return value as T;
	}
}

const read = new WeakMap<IExecuteFunctions, NodeSettings>();

/** The settings of this node execution: one copy of the node, shared by everything that reads them during it. */
export function settingsOf(ctx: IExecuteFunctions): NodeSettings {
	let settings = read.get(ctx);
	if (!settings) {
		settings = new NodeSettings(ctx);
		read.set(ctx, settings);
	}
	return settings;
}

/** n8n's test for an expression (`={{ … }}`, or `=` and text), anywhere in a value. */
function holdsExpression(value: unknown): boolean {
	if (typeof value === 'string') return value.startsWith('=');
	if (value === null || typeof value !== 'object') return false;
	if (Array.isArray(value)) return value.some(holdsExpression);
	for (const key in value) if (holdsExpression((value as Record<string, unknown>)[key])) return true;
	return false;
}
