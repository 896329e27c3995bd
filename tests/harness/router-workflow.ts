import { HARNESS_INPUT } from './workflow';

/** The harness's input node feeding one Ticket Router (version 2 unless given): what the in-process benches and tests run. */
export function routerWorkflow(parameters: Record<string, unknown>, node: Record<string, unknown> = {}) {
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0] as [number, number], parameters: {} },
			{
				id: 'router',
				name: 'Ticket Router',
				type: 'n8n-nodes-support-delegation.ticketRouter',
				typeVersion: 2,
				position: [200, 0] as [number, number],
				parameters: { operation: 'route', policySource: 'json', fieldPreset: 'generic', ...parameters },
				...node,
			},
		],
		connections: { Input: { main: [[{ node: 'Ticket Router', type: 'main' as const, index: 0 }]] } },
	};
}
