import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import type { Ledger } from '../core/ledger/ledger';
import { ledgerCredentials, ledgerProperties, openLedger } from '../shared/ledger/open';
import { toNodeError } from '../VendorRisk/nodeError';
import { operations } from './operations';
import type { Operation } from './properties';
import { delegationLogProperties } from './properties';

export class DelegationLog implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Delegation Log',
		name: 'delegationLog',
		icon: { light: 'file:delegationLog.svg', dark: 'file:delegationLog.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] }}',
		description: 'Records delegation outcomes and reads the delegation ledger: decisions, open delegations, summaries, exports',
		defaults: { name: 'Delegation Log' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: ledgerCredentials,
		properties: [...delegationLogProperties, ...ledgerProperties],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const operation = this.getNodeParameter('operation', 0) as Operation;
		const run = operations[operation];
		const out: INodeExecutionData[] = [];

		let ledger: Ledger | undefined;
		let unavailable: NodeOperationError | undefined;
		try {
			ledger = await openLedger(this);
		} catch (error) {
			// Every item fails alike; under Continue On Fail each goes out with the reason instead.
			unavailable = toNodeError(this.getNode(), error);
		}

		for (let i = 0; i < items.length; i++) {
			try {
				if (!ledger) throw unavailable!;
				out.push(...(await run.call(this, ledger, i)));
			} catch (caught) {
				const error = toNodeError(this.getNode(), caught, i);
				if (!this.continueOnFail()) {
					if (error.context.itemIndex === undefined) error.context.itemIndex = i;
					throw error;
				}
				out.push({ json: { ...items[i].json, error: error.message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}
