import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INodeExecutionData,
	INodeType,
	INodeTypes,
	IRun,
	IVersionedNodeType,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { createRunExecutionData, Workflow } from 'n8n-workflow';

import { packageNodeTypes } from './node-types';

export const PACKAGE = 'n8n-nodes-support-delegation';

/** Test-only start node: emits the items the harness hands it, like a trigger with pinned data. */
class HarnessInput implements INodeType {
	description = {
		displayName: 'Harness Input',
		name: 'harnessInput',
		group: ['input'],
		version: 1,
		description: 'Emits the test items',
		defaults: { name: 'Input' },
		inputs: [],
		outputs: ['main'],
		properties: [],
	} as unknown as INodeType['description'];

	async execute(this: import('n8n-workflow').IExecuteFunctions) {
		return [this.getInputData()];
	}
}

export const HARNESS_INPUT = 'harness.input';

export interface RunOptions {
	/** Items the start node emits. */
	items?: IDataObject[] | INodeExecutionData[];
	/** Credential data by credential type name. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	mode?: WorkflowExecuteMode;
	/** Extra node types (e.g. a stub downstream node), by type name. */
	extraNodeTypes?: Record<string, INodeType | IVersionedNodeType>;
	executionId?: string;
	staticData?: IDataObject;
}

export interface WorkflowRun {
	run: IRun;
	status: IRun['status'];
	/** Items a node emitted on one output of its last run. */
	output(nodeName: string, outputIndex?: number): INodeExecutionData[];
	/** Every output of a node's last run. */
	outputs(nodeName: string): INodeExecutionData[][];
	/** The error a node threw, if any. */
	error(nodeName?: string): Error | undefined;
	nodeExecutionOrder: string[];
}

function nodeTypesFor(extra: Record<string, INodeType | IVersionedNodeType>): INodeTypes {
	const all: Record<string, INodeType | IVersionedNodeType> = {
		[HARNESS_INPUT]: new HarnessInput(),
		...packageNodeTypes(),
		...extra,
	};
	const resolve = (type: string, version?: number): INodeType => {
		const nodeType = all[type];
		if (!nodeType) throw new Error(`harness: unknown node type "${type}"`);
		if ('nodeVersions' in nodeType) return nodeType.getNodeType(version);
		return nodeType;
	};
	return {
		getByName: (type) => all[type] ?? resolve(type),
		getByNameAndVersion: (type, version) => resolve(type, version),
		getKnownTypes: () => ({}),
	};
}

/**
 * What n8n-core needs around a node execution (credentials by type, URLs, hooks), for workflows and for a webhook
 * context built by a test.
 */
export function harnessAdditionalData(
	hooks: ExecutionLifecycleHooks,
	executionId: string,
	credentials: Record<string, ICredentialDataDecryptedObject>,
): IWorkflowExecuteAdditionalData {
	const credentialsHelper = {
		getDecrypted: async (_data: unknown, _node: unknown, type: string) => {
			const found = credentials[type];
			if (!found) throw new Error(`harness: no credentials of type "${type}"`);
			return found;
		},
		getCredentials: async () => ({}),
		getParentTypes: () => [],
		authenticate: async (_c: unknown, _t: unknown, request: unknown) => request,
		preAuthentication: async () => undefined,
		updateCredentials: async () => undefined,
		updateCredentialsOauthTokenData: async () => undefined,
		getCredentialsProperties: () => [],
		// n8n-core asks before handing a node its credentials; every package credential is usable by every node.
		isCredentialUsableByNode: () => true,
	};

	return {
		hooks,
		credentialsHelper,
		executionId,
		currentNodeParameters: undefined,
		restApiUrl: 'http://127.0.0.1:5678/rest',
		instanceBaseUrl: 'http://127.0.0.1:5678/',
		formWaitingBaseUrl: 'http://127.0.0.1:5678/form-waiting',
		webhookBaseUrl: 'http://127.0.0.1:5678/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:5678/webhook-test',
		variables: {},
		userId: 'harness-user',
		setExecutionStatus: () => undefined,
		sendDataToUI: () => undefined,
		executeWorkflow: async () => {
			throw new Error('harness: sub-workflows are not supported');
		},
		getRunExecutionData: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('harness: task runners are not available in-process');
		},
	} as unknown as IWorkflowExecuteAdditionalData;
}

function toItems(items: RunOptions['items']): INodeExecutionData[] {
	return (items ?? [{}]).map((item) =>
		item && typeof item === 'object' && 'json' in item && typeof item.json === 'object'
			? (item as INodeExecutionData)
			: { json: item as IDataObject },
	);
}

/**
 * Runs real workflow JSON through n8n-core's WorkflowExecute with this package's real node classes.
 * The workflow's start node should be of type `harness.input` (or any node the harness can feed).
 */
export async function runWorkflow(workflowJson: Pick<IWorkflowBase, 'nodes' | 'connections'> & Partial<IWorkflowBase>, options: RunOptions = {}): Promise<WorkflowRun> {
	const nodeTypes = nodeTypesFor(options.extraNodeTypes ?? {});
	const workflow = new Workflow({
		id: String(workflowJson.id ?? 'harness-workflow'),
		name: workflowJson.name ?? 'harness',
		nodes: structuredClone(workflowJson.nodes),
		connections: structuredClone(workflowJson.connections),
		nodeTypes,
		active: false,
		settings: workflowJson.settings ?? {},
		staticData: options.staticData ?? {},
	});

	const executionId = options.executionId ?? `harness-${Math.random().toString(36).slice(2)}`;
	const hooks = new ExecutionLifecycleHooks(options.mode ?? 'manual', executionId, workflowJson as IWorkflowBase);
	const nodeExecutionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => {
		nodeExecutionOrder.push(nodeName);
	});
	let resolveRun!: (run: IRun) => void;
	const finished = new Promise<IRun>((resolve) => (resolveRun = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveRun(fullRunData));

	const additionalData = harnessAdditionalData(hooks, executionId, options.credentials ?? {});

	// n8n's getStartNode only recognises triggers and single-node workflows; the harness input is neither.
	const startNode = Object.values(workflow.nodes).find((n) => n.type === HARNESS_INPUT) ?? workflow.getStartNode();
	if (!startNode) throw new Error('harness: workflow has no start node');
	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: startNode, data: { main: [toItems(options.items)] }, source: null }],
		},
	});

	const execute = new WorkflowExecute(additionalData, options.mode ?? 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;
	const runData = run.data.resultData.runData;

	const lastRun = (nodeName: string) => {
		const runs = runData[nodeName];
		if (!runs?.length) throw new Error(`harness: node "${nodeName}" did not run`);
		return runs[runs.length - 1];
	};
	return {
		run,
		status: run.status,
		nodeExecutionOrder,
		outputs: (nodeName) => (lastRun(nodeName).data?.main ?? []).map((items) => items ?? []),
		output: (nodeName, outputIndex = 0) => lastRun(nodeName).data?.main?.[outputIndex] ?? [],
		error: (nodeName) => {
			if (nodeName) return runData[nodeName]?.[runData[nodeName].length - 1]?.error as Error | undefined;
			return run.data.resultData.error as Error | undefined;
		},
	};
}
