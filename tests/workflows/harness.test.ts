import { describe, expect, it } from 'vitest';

import { HARNESS_INPUT, runWorkflow } from '../harness/workflow';

describe('workflow harness', () => {
	it('runs a workflow through WorkflowExecute and returns each node output', async () => {
		const result = await runWorkflow(
			{
				nodes: [{ id: '1', name: 'Input', type: HARNESS_INPUT, typeVersion: 1, position: [0, 0], parameters: {} }],
				connections: {},
			},
			{ items: [{ id: 'T-1' }, { id: 'T-2' }] },
		);
		expect(result.status).toBe('success');
		expect(result.output('Input').map((i) => i.json.id)).toEqual(['T-1', 'T-2']);
	});
});
