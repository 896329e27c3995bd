import type {
	IDataObject,
	IExecuteFunctions,
	INode,
	NodeExecutionHint,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';

import { loadPolicy, type CompiledPolicy } from '../../domain/policy/compile';
import { PolicyError } from '../../domain/policy/parse';
import { batchRequest, decide, emptySnapshot, firstOccurrences, type DecideOptions } from '../../domain/routing/decide';
import type { FieldPresetName } from '../../domain/ticket/presets';
import { MAX_LABEL, MAX_TICKET_ID } from '../../domain/ticket/limits';
import { TicketReadError, ticketReader } from '../../domain/ticket/read';
import type { Ticket } from '../../domain/ticket/ticket';
import { guessLedger, ledgerCredentials, type LedgerGuess } from '../shared/ledger/open';
import type { Ledger } from '../../ledger/ledger';
import { byInputItem, ledgerUnavailableItems } from '../shared/ledger/unavailable';
import type { LedgerUnavailableError } from '../../ledger/errors';
import { failedItem, isLedgerUnavailable, toNodeError } from '../shared/node-error';
import { settingsOf } from '../shared/settings';
import type { Delegation } from '../../domain/routing/delegation';
import { properties } from './description';
import { policyFromEditor } from './editorPolicy';
import { policyFromEditorV3, type EditorPolicy } from './editorPolicyV3';
import { loadOptions } from './options';
import { configuredOutputs } from './outputs';

export class TicketRouter implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Ticket Router',
		name: 'ticketRouter',
		icon: { light: 'file:ticketRouter.svg', dark: 'file:ticketRouter.dark.svg' },
		group: ['transform'],
		// 2: Build in Editor shows each destination's and rule's own fields, picks destinations from lists and nests
		// conditions (several time windows, schedules, field conditions); version 1 workflows keep their flat fields.
		// 3: queue-centric Build in Editor (each queue and vendor carries its conditions; shared vendor terms and
		// overflow threshold set once); version 2 workflows keep theirs.
		version: [1, 2, 3],
		defaultVersion: 3,
		subtitle: '={{$parameter["operation"] === "sweep" ? "Sweep backlog" : "Route tickets"}}',
		description: 'Route support tickets to internal queues or outside vendors by a delegation policy',
		defaults: { name: 'Ticket Router' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: `={{(${configuredOutputs})($parameter)}}`,
		credentials: ledgerCredentials,
		properties,
	};

	methods = { loadOptions };

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const settings = settingsOf(this);
		const node = settings.node;
		// Started first: n8n's credential read overlaps reading the policy and the tickets, and the batch's first round trip.
		const ledger = guessLedger(this);
		const { policy, inEditorTerms } = readPolicy(this);
		const operation = settings.get<'route' | 'sweep'>('operation');
		const outputMode = settings.get<'kind' | 'destination'>('outputMode');
		const options = settings.get('options', {}) as {
			dryRun?: boolean;
			reroute?: boolean;
			currentLoad?: number;
			ledgerUnavailable?: 'fail' | 'route';
		};
		const read = ticketReader({
			preset: settings.get<FieldPresetName>('fieldPreset'),
			overrides: settings.get<Record<string, string>>('fieldPaths', {}),
			zone: policy.timezone,
		});
		const sweepCapacity = operation === 'sweep' ? Number(settings.get('sweepCapacity')) : undefined;
		if (sweepCapacity !== undefined && !(sweepCapacity >= 0)) {
			throw new NodeOperationError(node, `Internal Capacity must be a number of tickets, got "${String(sweepCapacity)}"`);
		}

		const outputCount = outputMode === 'destination' ? policy.destinations.length : 2;
		const outputs: INodeExecutionData[][] = Array.from({ length: outputCount }, () => []);
		// Made at their full size and cut to the tickets read: grown by push, a 100,000-item batch left each list's
		// outgrown copies (~1.6 MB) behind until a full collection.
		const tickets = new Array<Ticket>(items.length);
		const itemOf = new Array<number>(items.length);
		let readCount = 0;
		const failed: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			try {
				tickets[readCount] = read(items[i].json);
				itemOf[readCount++] = i;
			} catch (error) {
				const failure = readFailure(node, error, i);
				if (!this.continueOnFail()) throw failure;
				failed.push(failedItem(this, items[i].json, failure, i));
			}
		}

		tickets.length = itemOf.length = readCount;

		const decideOptions: DecideOptions = {
			now: Date.now(),
			dryRun: options.dryRun === true,
			reroute: options.reroute === true,
			load: typeof options.currentLoad === 'number' ? options.currentLoad : null,
			sweepCapacity,
			workflowId: this.getWorkflow().id ?? null,
			executionId: this.getExecutionId() ?? null,
		};
		let delegations: Delegation[] | null = null;
		if (tickets.length > 0) {
			const whenUnavailable = options.ledgerUnavailable ?? 'fail';
			let decided: Awaited<ReturnType<typeof decideBatch>>;
			try {
				decided = await decideBatch(this, ledger, tickets, policy, decideOptions, whenUnavailable);
			} catch (error) {
				// A ticket that breaks deciding (reading its text or fields for the rules) fails alone, by item, and
				// the rest of the batch is decided again without it; found only after a failure, so a batch that decides
				// pays nothing for it. An error no single ticket causes fails the node as before.
				const poisoned = ticketsThatFail(tickets, policy, decideOptions);
				if (poisoned.length === 0) throw toNodeError(node, error);
				const drop = new Set<number>();
				for (const { index, error: cause } of poisoned) {
					const i = itemOf[index];
					const failure = new NodeOperationError(node, `Item ${i}: ticket "${tickets[index].id}" could not be routed: ${cause.message}`, {
						itemIndex: i,
						description: 'Nothing was routed or recorded for this ticket. The rest of the batch is routed when On Error is set to continue.',
					});
					if (!this.continueOnFail()) throw failure;
					failed.push(failedItem(this, items[i].json, failure, i));
					drop.add(index);
				}
				let kept = 0;
				for (let k = 0; k < tickets.length; k++) {
					if (drop.has(k)) continue;
					tickets[kept] = tickets[k];
					itemOf[kept++] = itemOf[k];
				}
				tickets.length = itemOf.length = kept;
				failed.sort(byInputItem);
				decided = kept > 0 ? await decideBatch(this, ledger, tickets, policy, decideOptions, whenUnavailable) : [];
			}
			if ('unavailable' in decided) {
				const consequence = 'Nothing was routed or recorded. To route anyway (without caps, budgets and shares), set Options → If Ledger Unavailable → Route Without Guardrails.';
				failed.push(...ledgerUnavailableItems(this, decided.unavailable, items, itemOf, consequence));
				failed.sort(byInputItem);
			} else {
				delegations = decided;
			}
		}

		const hints = [...policy.warnings.map((w) => inEditorTerms(w.message)), ...(delegations ? earlierDecisionNotes(delegations, policy) : [])];
		if (hints.length > 0) this.addExecutionHints(...hints.map((message): NodeExecutionHint => ({ message, type: 'warning', location: 'outputPane' })));

		delegations?.forEach((delegation, k) => {
			const i = itemOf[k];
			const output = outputMode === 'destination' ? policy.destinationIndex.get(delegation.destination)! : delegation.kind === 'internal' ? 0 : 1;
			const item: INodeExecutionData = { json: { ...items[i].json, delegation: delegation as unknown as IDataObject }, pairedItem: { item: i } };
			if (items[i].binary) item.binary = items[i].binary;
			outputs[output].push(item);
		});
		// Failed items (On Error → Continue) go to the in-house team, never to a vendor: the Internal output, or in
		// per-destination mode the policy's internal fallback queue. With Continue (using error output) n8n moves them
		// from there to the error output (see failedItem).
		const internalOutput = outputMode === 'destination' ? policy.destinationIndex.get(policy.internalFallback.id)! : 0;
		outputs[internalOutput].push(...failed);
		return outputs;
	}
}

/** Why an item could not be read as a ticket, as the node error naming it. */
function readFailure(node: INode, error: unknown, i: number): NodeOperationError {
	if (!(error instanceof TicketReadError)) {
		const cause = error instanceof Error ? error : new Error(String(error));
		return new NodeOperationError(node, `Item ${i}: the ticket could not be read: ${cause.message}`, {
			itemIndex: i,
			description: 'The rest of the batch is routed when On Error is set to continue.',
		});
	}
	return new NodeOperationError(node, `Item ${i}: ${error.message}`, {
		itemIndex: i,
		description:
			error.reason === 'missing'
				? `Set the ticket's ${error.field} path under Field Paths, or fix the payload.`
				: `Fix the payload: ticket ids are at most ${MAX_TICKET_ID} characters and labels at most ${MAX_LABEL}, with no control characters. The rest of the batch is routed when On Error is set to continue.`,
	});
}

/**
 * The tickets that fail to be decided on their own (a dry run on an empty ledger snapshot: the same reading of fields,
 * keywords, conditions and due times a batch does per ticket), with their errors. Run only after a batch failed.
 */
function ticketsThatFail(tickets: Ticket[], policy: CompiledPolicy, options: DecideOptions): Array<{ index: number; error: Error }> {
	const found: Array<{ index: number; error: Error }> = [];
	const alone: DecideOptions = { ...options, dryRun: true, firstOf: undefined };
	for (let k = 0; k < tickets.length; k++) {
		try {
			decide([tickets[k]], policy, emptySnapshot(options.now), alone);
		} catch (error) {
			found.push({ index: k, error: error instanceof Error ? error : new Error(String(error)) });
		}
	}
	return found;
}

/** The policy, and its warnings' places as the editor that built it shows them. */
function readPolicy(ctx: IExecuteFunctions): { policy: CompiledPolicy; inEditorTerms: (message: string) => string } {
	const settings = settingsOf(ctx);
	const source = settings.get<'editor' | 'json'>('policySource');
	const version = settings.node.typeVersion;
	const editor = source === 'editor' ? editorPolicy(ctx, version) : undefined;
	const input = editor ? editor.policy : settings.get('policyJson');
	try {
		return { policy: loadPolicy(input), inEditorTerms: editor?.inEditorTerms ?? ((message) => message) };
	} catch (error) {
		if (error instanceof PolicyError) {
			const place = editor?.place;
			const named = place ? new PolicyError(error.problems.map((p) => ({ ...p, place: place(p.path) }))) : error;
			// The message names the first problem; the details list all of them only when there are more.
			const lines = named.lines;
			throw new NodeOperationError(settings.node, named.message, lines.length > 1 ? { description: lines.join('\n') } : {});
		}
		throw new NodeOperationError(settings.node, error as Error);
	}
}

/** Build in Editor's policy; versions 1 and 2 name places as a JSON policy does, version 3 as its own panel. */
function editorPolicy(ctx: IExecuteFunctions, version: number): { policy: IDataObject; place?: EditorPolicy['place']; inEditorTerms?: EditorPolicy['inEditorTerms'] } {
	const settings = settingsOf(ctx);
	const get = <T>(name: string, fallback: T) => settings.get(name, fallback);
	// Version 2 on: an empty time zone is the workflow's (Workflow Settings, else the instance's).
	const timezone = get<string>('timezone', version >= 2 ? '' : 'UTC').trim() || ctx.getTimezone();
	const common = { scope: get('scope', 'default'), timezone, defaultDestination: get('defaultDestination', ''), guardrails: get<IDataObject>('guardrails', {}) };
	if (version >= 3) {
		return policyFromEditorV3({
			...common,
			queues: get('queues', {}),
			vendors: get('vendors', {}),
			vendorDpa: get('vendorDpa', false),
			vendorAllowedFields: get('vendorAllowedFields', ''),
			overflowCapacityPerHour: get('overflowCapacityPerHour', 0),
			overflow: get('overflow', {}),
			schedules: get('schedules', {}),
			sla: get('sla', {}),
		});
	}
	const policy = policyFromEditor(
		{
			...common,
			destinations: get('destinations', {}),
			rules: get('rules', {}),
			schedules: version >= 2 ? get<IDataObject>('schedules', {}) : undefined,
			sla: version >= 2 ? get<IDataObject>('sla', {}) : undefined,
		},
		version,
	);
	return { policy };
}

/**
 * When tickets come back with decisions made under another policy version, a changed policy had no effect on
 * them: say how many, under which versions, and how to route them by the current one.
 */
function earlierDecisionNotes(delegations: Delegation[], policy: CompiledPolicy): string[] {
	const older = new Map<string, number>();
	// Indexed: runs once per batch, unoptimised, where `for…of` makes an iterator result per item.
	for (let i = 0; i < delegations.length; i++) {
		const d = delegations[i];
		if (d.ledger === 'existing' && d.policyVersion !== policy.version) older.set(d.policyVersion, (older.get(d.policyVersion) ?? 0) + 1);
	}
	if (older.size === 0) return [];
	const count = [...older.values()].reduce((a, b) => a + b, 0);
	const versions = [...older.keys()].join(', ');
	return [
		`${count} ticket${count === 1 ? '' : 's'} kept ${count === 1 ? 'its' : 'their'} earlier open decision, made under policy version ${versions}; the current policy is ${policy.version}, so its changes did not apply to ${count === 1 ? 'it' : 'them'}. To route ${count === 1 ? 'it' : 'them'} by the current policy, turn on Options → Re-Route (the new decision links to the earlier one).`,
	];
}

/**
 * Decisions handed to the ledger at a time while a recorded batch is still being decided (RowsAhead): a PostgreSQL
 * server stores each group while the next is decided. Smaller groups start the server sooner and cost a statement
 * each; a batch smaller than one group is written as one, with its commit.
 */
const ROWS_AHEAD = 1_000;

/**
 * Decides the batch against the ledger: inside one ledger transaction when recording, on a read-only
 * snapshot for a dry run. An unusable ledger comes back as `unavailable` unless told to route without guardrails.
 * Only the delegations come back: the rows die with the ledger write, before the items are built (a 100,000-ticket
 * batch's rows are ~25 MB).
 */
async function decideBatch(
	ctx: IExecuteFunctions,
	ledger: LedgerGuess,
	tickets: Ticket[],
	policy: CompiledPolicy,
	options: DecideOptions,
	whenUnavailable: 'fail' | 'route',
): Promise<Delegation[] | { unavailable: LedgerUnavailableError }> {
	const firstOf = firstOccurrences(tickets);
	const request = batchRequest(policy, tickets, options.now, firstOf);
	const batchOptions = { ...options, firstOf };
	const record = (on: Ledger, mayWrite?: Promise<unknown>) =>
		on.routeBatch(
			policy.scope,
			request,
			(snapshot, ahead) => {
				// The ledger's clock, read once the scope's lock is held: decisions are stamped in commit order.
				const decision = decide(tickets, policy, snapshot, { ...batchOptions, now: snapshot.now, rowsAhead: { every: ROWS_AHEAD, send: ahead } });
				return {
					rows: decision.rows,
					overflowActive: decision.overflowActive,
					qualityBelow: decision.qualityBelow,
					terms: decision.terms,
					result: decision.delegations,
				};
			},
			mayWrite,
		);
	try {
		if (options.dryRun) return decide(tickets, policy, await (await ledger.located()).snapshot(policy.scope, request), batchOptions).delegations;
		return await ledger.record(record);
	} catch (error) {
		if (!isLedgerUnavailable(error)) throw new NodeOperationError(ctx.getNode(), error as Error);
		if (whenUnavailable !== 'route') return { unavailable: error };
		return decide(tickets, policy, emptySnapshot(options.now), { ...batchOptions, ledgerAvailable: false }).delegations;
	}
}
