import type { INodeParameters } from 'n8n-workflow';

/**
 * The node's outputs from its parameters. n8n stringifies this function into an expression, so it must be
 * self-contained: no imports, no helpers from outside its body. It mirrors `outputIndexFor` in the node:
 * Internal + External, or one output per destination in policy order.
 */
export const configuredOutputs = (parameters: INodeParameters) => {
	const byKind = [
		{ type: 'main', displayName: 'Internal' },
		{ type: 'main', displayName: 'External' },
	];
	if (parameters.outputMode !== 'destination') return byKind;
	let destinations: Array<{ id?: unknown; name?: unknown }> = [];
	if (parameters.policySource === 'json') {
		try {
			const raw = parameters.policyJson;
			const policy = typeof raw === 'string' ? JSON.parse(raw) : raw;
			if (policy && Array.isArray(policy.destinations)) destinations = policy.destinations;
		} catch (error) {
			// n8n's expression parser rejects an optional catch binding (`catch {`): the parameter stays, unused.
			void error;
			return byKind;
		}
	} else {
		const collection = parameters.destinations as { destination?: Array<{ id?: unknown; name?: unknown }> } | undefined;
		// Version 3: internal queues, then vendors (the policy's destination order).
		const queues = (parameters.queues as { queue?: Array<{ id?: unknown; name?: unknown }> } | undefined)?.queue ?? [];
		const vendors = (parameters.vendors as { vendor?: Array<{ id?: unknown; name?: unknown }> } | undefined)?.vendor ?? [];
		destinations = queues.length + vendors.length > 0 ? queues.concat(vendors) : (collection?.destination ?? []);
	}
	if (destinations.length === 0) return byKind;
	return destinations.map((d) => ({ type: 'main', displayName: String(d.name || d.id || '?') }));
};
