import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { loadPolicy, type CompiledPolicy } from '../../domain/policy/compile';
import { PolicyError } from '../../domain/policy/parse';
import { EMPTY_START, simulatePolicies, type SimulationStart } from '../../domain/routing/simulate';
import type { FieldPresetName } from '../../domain/ticket/presets';
import { TicketReadError, ticketReader } from '../../domain/ticket/read';
import type { Ticket } from '../../domain/ticket/ticket';
import { ledgerCredentials, openLedger } from '../shared/ledger/open';
import { failedItem, toNodeError } from '../shared/node-error';
import { ledgerStart } from './ledger-start';
import { simulationProperties, type SimulationParameters } from './properties';

export class PolicySimulation implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Policy Simulation',
		name: 'policySimulation',
		icon: { light: 'file:policySimulation.svg', dark: 'file:policySimulation.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ "Start from " + $parameter["startFrom"] }}',
		description: 'Replays tickets under the current and a draft delegation policy: shares, concentration, cost, binding caps and the tickets that would move. Writes nothing.',
		defaults: { name: 'Policy Simulation' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: ledgerCredentials,
		properties: simulationProperties,
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const node = this.getNode();
		// Parameters are read once: a simulation is one report over every item, not a per-item transform.
		const p: SimulationParameters = {
			currentPolicy: this.getNodeParameter('currentPolicy', 0),
			draftPolicy: this.getNodeParameter('draftPolicy', 0),
			startFrom: this.getNodeParameter('startFrom', 0, 'empty') as SimulationParameters['startFrom'],
			sampleSize: Number(this.getNodeParameter('sampleSize', 0, 20)),
		};
		if (!(p.sampleSize >= 0)) throw new NodeOperationError(node, `Sample Size must be 0 or more, got "${String(p.sampleSize)}"`);
		const current = policyOf(this, p.currentPolicy, 'Current Policy');
		const draft = policyOf(this, p.draftPolicy, 'Draft Policy');
		const read = ticketReader({
			preset: this.getNodeParameter('fieldPreset', 0) as FieldPresetName,
			overrides: this.getNodeParameter('fieldPaths', 0, {}) as Record<string, string>,
			// Times without an offset are read where the tickets were routed: the current policy's zone.
			zone: current.timezone,
		});

		const tickets: Ticket[] = [];
		const used: Array<{ item: number }> = [];
		const failed: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				const ticket = read(items[i].json);
				if (ticket.createdAt === null) {
					throw new NodeOperationError(node, `Item ${i}: ticket "${ticket.id}" has no usable created-at time`, {
						itemIndex: i,
						description: 'A simulation replays tickets in the order they were created. Set Field Paths → Created At, or fix the payload (ISO 8601, or Unix time in seconds or milliseconds).',
					});
				}
				tickets.push(ticket);
				used.push({ item: i });
			} catch (error) {
				const failure =
					error instanceof TicketReadError
						? new NodeOperationError(node, `Item ${i}: ${error.message}`, { itemIndex: i })
						: error instanceof NodeOperationError
							? error
							: new NodeOperationError(node, error as Error, { itemIndex: i });
				if (!this.continueOnFail()) throw failure;
				failed.push(failedItem(this, {}, failure, i));
			}
		}

		let starts: { current: SimulationStart; draft: SimulationStart } = { current: EMPTY_START, draft: EMPTY_START };
		if (p.startFrom === 'ledger' && tickets.length > 0) {
			const first = tickets.reduce((min, t) => Math.min(min, t.createdAt!), Infinity);
			try {
				const ledger = await openLedger(this);
				starts = { current: await ledgerStart(ledger, current, first), draft: await ledgerStart(ledger, draft, first) };
			} catch (error) {
				throw toNodeError(node, error, undefined, 'Nothing was simulated. To simulate without it, set Start From to Empty.');
			}
		}
		const report = simulatePolicies({
			tickets,
			current,
			draft,
			start: p.startFrom,
			currentStart: starts.current,
			draftStart: starts.draft,
			sampleSize: p.sampleSize,
		});
		const out: INodeExecutionData[] = [];
		if (tickets.length > 0 || failed.length === 0) {
			out.push({ json: report as unknown as IDataObject, pairedItem: used.length > 0 ? used : { item: 0 } });
		}
		return [[...out, ...failed]];
	}
}

/** A policy parameter, validated and compiled (cached per distinct policy), or an error naming the parameter. */
function policyOf(ctx: IExecuteFunctions, input: unknown, parameter: string): CompiledPolicy {
	try {
		return loadPolicy(input);
	} catch (error) {
		if (error instanceof PolicyError) {
			const lines = error.lines;
			throw new NodeOperationError(ctx.getNode(), `${parameter}: ${error.message}`, lines.length > 1 ? { description: lines.join('\n') } : {});
		}
		throw new NodeOperationError(ctx.getNode(), `${parameter}: ${(error as Error).message}`);
	}
}
