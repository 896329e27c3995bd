import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import type { Ledger } from '../../ledger/ledger';
import { ledgerCredentials, ledgerProperties, openLedger } from '../shared/ledger/open';
import { policyScopes } from '../shared/ledger/scopes';
import { failedItem, toNodeError } from '../shared/node-error';
import type { ScopedOutcome } from '../../ledger/outcome-writer';
import { operations, outcomeRequestOf, recordOutcomes } from './operations';
import type { Operation } from './properties';
import { delegationLogProperties } from './properties';

export class DelegationLog implements INodeType {
	methods = { loadOptions: { policyScopes } };

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

		let ledger: Ledger | undefined;
		let unavailable: unknown;
		try {
			ledger = await openLedger(this);
		} catch (error) {
			// Every item fails alike; under Continue On Fail each goes out with the reason instead.
			unavailable = error;
		}
		/** The ledger's failure as item i's own error (each item's error names its item). */
		const unusable = (i: number) => toNodeError(this.getNode(), unavailable, i, 'Nothing was read or recorded.');

		/** Throws the item's error, or under Continue On Fail returns the item carrying it. */
		const failed = (caught: unknown, i: number): INodeExecutionData => {
			const error = toNodeError(this.getNode(), caught, i);
			if (!this.continueOnFail()) {
				if (error.context.itemIndex === undefined) error.context.itemIndex = i;
				throw error;
			}
			return failedItem(this, items[i].json, error, i);
		};

		if (operation === 'recordOutcome') {
			// Every item is read and checked before the one write, so bad input fails the node with nothing written.
			const requests = items.map((_, i): ScopedOutcome | INodeExecutionData => {
				try {
					if (!ledger) throw unusable(i);
					return outcomeRequestOf(this, i);
				} catch (caught) {
					return failed(caught, i);
				}
			});
			const written = await recordOutcomes(this, ledger!, requests.map((r) => (isRequest(r) ? r : null)));
			return [
				requests.map((r, i) => {
					const result = written[i];
					if (result === null) return r as INodeExecutionData;
					return result instanceof Error ? failed(result, i) : result;
				}),
			];
		}

		const run = operations[operation];
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				if (!ledger) throw unusable(i);
				out.push(...(await run.call(this, ledger, i)));
			} catch (caught) {
				out.push(failed(caught, i));
			}
		}
		return [out];
	}
}

const isRequest = (r: ScopedOutcome | INodeExecutionData): r is ScopedOutcome => 'update' in r && 'ticketId' in r;
