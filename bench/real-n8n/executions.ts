import { DatabaseSync } from 'node:sqlite';
import { parse } from 'flatted';
import { Client, type ClientConfig } from 'pg';

/** One node run as n8n saved it: `executionTime` is n8n's own measure of the node (ms), outputs as they left it. */
export interface SavedNodeRun {
	executionTime: number;
	/** When n8n started the node (ms since the epoch). */
	startTime: number;
	data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
}

export interface SavedExecution {
	id: number;
	status: string;
	runData: Record<string, SavedNodeRun[]>;
}

/** Where n8n keeps its executions: its SQLite file (regular mode) or its PostgreSQL database (queue mode). */
export type N8nDatabase = { sqlite: string } | { postgres: ClientConfig };

/**
 * The executions of a workflow as n8n saved them (execution_entity + execution_data, the data in n8n's `flatted`
 * form), oldest first, optionally only those with id above `afterId`. Read straight from n8n's database: what the
 * UI's execution view shows, with no API in between.
 */
export async function savedExecutions(db: N8nDatabase, workflowId: string, afterId = 0): Promise<SavedExecution[]> {
	let rows: Array<{ id: number | string; status: string; data: string }>;
	if ('sqlite' in db) {
		const sqlite = new DatabaseSync(db.sqlite, { readOnly: true });
		try {
			rows = sqlite
				.prepare(
					`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d.executionId = e.id
					WHERE e.workflowId = ? AND e.id > ? ORDER BY e.id`,
				)
				.all(workflowId, afterId) as typeof rows;
		} finally {
			sqlite.close();
		}
	} else {
		const client = new Client(db.postgres);
		await client.connect();
		try {
			rows = (
				await client.query(
					`SELECT e.id, e.status, d.data FROM execution_entity e JOIN execution_data d ON d."executionId" = e.id
					WHERE e."workflowId" = $1 AND e.id > $2 ORDER BY e.id`,
					[workflowId, afterId],
				)
			).rows;
		} finally {
			await client.end();
		}
	}
	return rows.map((r) => ({ id: Number(r.id), status: r.status, runData: parse(r.data).resultData.runData }));
}

/** The latest saved execution id of a workflow (0 when none): later reads take only what came after. */
export async function latestExecutionId(db: N8nDatabase, workflowId: string): Promise<number> {
	const all = await savedExecutions(db, workflowId);
	return all.length ? all[all.length - 1].id : 0;
}

/** Waits until `count` executions after `afterId` are saved and finished (not running or waiting). */
export async function waitForExecutions(db: N8nDatabase, workflowId: string, afterId: number, count: number, timeoutMs: number): Promise<SavedExecution[]> {
	const deadline = Date.now() + timeoutMs;
	for (;;) {
		const done = (await savedExecutions(db, workflowId, afterId)).filter((e) => !['running', 'new', 'waiting'].includes(e.status));
		if (done.length >= count) return done;
		if (Date.now() > deadline) throw new Error(`${done.length} of ${count} executions of ${workflowId} saved after ${timeoutMs} ms`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

/** A node's execution time (ms) in a saved execution; throws when the node did not run. */
export function nodeTime(execution: SavedExecution, node: string): number {
	const run = execution.runData[node]?.[0];
	if (!run) throw new Error(`execution ${execution.id}: node "${node}" did not run (ran: ${Object.keys(execution.runData).join(', ')})`);
	return run.executionTime;
}

/** The nodes of an execution in the order n8n started them. */
export function runOrder(execution: SavedExecution): string[] {
	return Object.keys(execution.runData).sort((a, b) => execution.runData[a][0].startTime - execution.runData[b][0].startTime);
}

/** The ticket ids a node sent to each of its outputs. */
export function outputIds(execution: SavedExecution, node: string): string[][] {
	const main = execution.runData[node]?.[0]?.data?.main ?? [];
	return main.map((items) => (items ?? []).map((i) => String(i.json.id)));
}
