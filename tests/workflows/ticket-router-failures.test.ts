import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { IDataObject, INodeExecutionData, IWorkflowBase } from 'n8n-workflow';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { KeywordMatcher } from '../../domain/policy/keywords';
import { runWorkflow } from '../harness/workflow';

/**
 * One ticket must never fail its batch (README: "One bad ticket never fails the others' batch"), and a ticket's times
 * and paths are read the same on any server. Real workflow JSON through WorkflowExecute.
 */

type WorkflowJson = Pick<IWorkflowBase, 'nodes' | 'connections'>;
type OnError = 'continueRegularOutput' | 'continueErrorOutput' | 'stopWorkflow';
const ROUTER = 'Ticket Router';
const folder = mkdtempSync(join(tmpdir(), 'sd-router-failures-'));
let scopes = 0;

/** Input → Ticket Router (version 3, JSON policy, generic fields, Internal/External outputs) on a ledger file of its own. */
function workflow(policy: IDataObject, onError?: OnError): WorkflowJson {
	const scope = `failures-${process.pid}-${++scopes}`;
	return {
		nodes: [
			{ id: 'in', name: 'Input', type: 'harness.input', typeVersion: 1, position: [0, 0], parameters: {} },
			{
				id: 'router',
				name: ROUTER,
				type: 'n8n-nodes-support-delegation.ticketRouter',
				typeVersion: 3,
				position: [220, 0],
				...(onError ? { onError } : {}),
				parameters: {
					operation: 'route',
					policySource: 'json',
					policyJson: JSON.stringify({ scope, timezone: 'UTC', ...policy }),
					fieldPreset: 'generic',
					outputMode: 'kind',
					options: {},
					ledgerFile: join(folder, `${scope}.sqlite`),
				},
			},
		],
		connections: { Input: { main: [[{ node: ROUTER, type: 'main', index: 0 }]] } },
	};
}

/** A policy with the team (default) and one vendor without caps, data regions or quality limits. */
const policyWith = (rules: IDataObject[], extra: IDataObject = {}): IDataObject => ({
	destinations: [
		{ id: 'team', kind: 'internal' },
		{ id: 'vendor', kind: 'external', contract: 'specialist', dpa: true, allowedFields: ['id'] },
	],
	rules,
	defaultDestination: 'team',
	...extra,
});

/** Every item out, as [input item, destination or error], internal output first. */
const outcome = (items: INodeExecutionData[]) =>
	items.map((i) => [(i.pairedItem as { item: number }).item, (i.json.delegation as IDataObject | undefined)?.destination ?? i.json.error]);

/** Runs `fn` with the process (the n8n server) in another time zone; Node re-reads TZ when it is assigned. */
async function onServerIn<T>(zone: string, fn: () => Promise<T>): Promise<T> {
	const previous = process.env.TZ;
	process.env.TZ = zone;
	try {
		return await fn();
	} finally {
		if (previous === undefined) delete process.env.TZ;
		else process.env.TZ = previous;
	}
}

afterEach(() => {
	vi.restoreAllMocks();
});

describe('one ticket never fails the batch', () => {
	it('routes tickets whose text is millions of letters without a space (CJK, Cyrillic, Thai), keywords after them included', async () => {
		const keywords = policyWith([{ id: 'refunds', kind: 'specialist', target: 'vendor', when: { keywords: ['refund', '返金', 'возврат', 'คืนเงิน'] } }]);
		const run = 3_000_000;
		const items: IDataObject[] = [
			{ id: 'ok-1', subject: 'refund please' },
			{ id: 'cjk', subject: 'hello', body: '注'.repeat(run) },
			{ id: 'ok-2', subject: 'where is my parcel' },
			{ id: 'cyrillic', body: 'я'.repeat(run) + ' возврат' },
			{ id: 'thai', subject: 'ก'.repeat(run) + 'คืนเงิน' },
		];
		const result = await runWorkflow(workflow(keywords), { items });
		expect(result.error(ROUTER)?.message).toBeUndefined();
		expect(result.status).toBe('success');
		// Keyword found: the vendor; none (a run of 注 alone, a parcel): the default, the team.
		expect(outcome(result.output(ROUTER, 0))).toEqual([
			[1, 'team'],
			[2, 'team'],
		]);
		expect(outcome(result.output(ROUTER, 1))).toEqual([
			[0, 'vendor'],
			[3, 'vendor'],
			[4, 'vendor'],
		]);
	}, 120_000);

	it('a ticket that breaks matching fails alone, named by item and id: Continue keeps the rest, otherwise the node fails naming it', async () => {
		const match = KeywordMatcher.prototype.match;
		// Stands for any fault met while one ticket's text is matched: this ticket's subject makes the matcher throw.
		vi.spyOn(KeywordMatcher.prototype, 'match').mockImplementation(function (this: KeywordMatcher, subject: string, body: string) {
			if (subject === 'poison') throw new RangeError('matcher fault');
			return match.call(this, subject, body);
		});
		const keywords = policyWith([{ id: 'refunds', kind: 'specialist', target: 'vendor', when: { keywords: ['refund'] } }]);
		const items: IDataObject[] = [{ id: 'ok-1', subject: 'refund' }, { id: 'bad', subject: 'poison' }, { id: 'ok-2', subject: 'hello' }];

		const continuing = await runWorkflow(workflow(keywords, 'continueRegularOutput'), { items });
		expect(continuing.status).toBe('success');
		expect(outcome(continuing.output(ROUTER, 0))).toEqual([
			[2, 'team'],
			[1, 'Item 1: ticket "bad" could not be routed: matcher fault'],
		]);
		expect(continuing.output(ROUTER, 0)[1].json).toMatchObject(items[1]);
		expect(outcome(continuing.output(ROUTER, 1))).toEqual([[0, 'vendor']]);

		const toErrorOutput = await runWorkflow(workflow(keywords, 'continueErrorOutput'), { items });
		expect(toErrorOutput.outputs(ROUTER).map(outcome)).toEqual([[[2, 'team']], [[0, 'vendor']], [[1, 'Item 1: ticket "bad" could not be routed: matcher fault']]]);

		const failing = await runWorkflow(workflow(keywords), { items });
		expect(failing.status).toBe('error');
		expect(failing.error(ROUTER)?.message).toBe('Item 1: ticket "bad" could not be routed: matcher fault');
		expect((failing.error(ROUTER) as unknown as { context: IDataObject }).context.itemIndex).toBe(1);
	});

	it('a ticket that breaks reading fails alone under Continue, named by item', async () => {
		let reads = 0;
		// Stands for any fault met while one item is read: its subject throws the first time it is read.
		const odd: IDataObject = { id: 'odd' };
		Object.defineProperty(odd, 'subject', {
			enumerable: true,
			get() {
				if (reads++ === 0) throw new TypeError('unreadable field');
				return 'odd subject';
			},
		});
		const result = await runWorkflow(workflow(policyWith([]), 'continueRegularOutput'), { items: [{ id: 'ok-1' }, odd] });
		expect(result.status).toBe('success');
		expect(outcome(result.output(ROUTER, 0))).toEqual([
			[0, 'team'],
			[1, 'Item 1: the ticket could not be read: unreadable field'],
		]);
	});
});

describe('ticket times: ISO 8601 or epoch, on the policy\'s clock', () => {
	it('reads a created-at time without an offset in the policy\'s time zone, whatever the server\'s', async () => {
		// 11:00 Paris wall time is before the bound, 12:00 Paris wall time; 12:30 is not.
		const early = policyWith([{ id: 'early', kind: 'specialist', target: 'vendor', when: { conditions: [{ path: 'createdAt', operator: 'lessThan', value: '2026-06-01T12:00' }] } }], {
			timezone: 'Europe/Paris',
		});
		const items = [
			{ id: 'tz-1', createdAt: '2026-06-01T11:00:00' },
			{ id: 'tz-2', createdAt: '2026-06-01T12:30:00' },
		];
		for (const server of ['UTC', 'Asia/Tokyo', 'America/New_York']) {
			const result = await onServerIn(server, () => runWorkflow(workflow(early), { items }));
			expect([server, outcome(result.output(ROUTER, 0)), outcome(result.output(ROUTER, 1))]).toEqual([server, [[1, 'team']], [[0, 'vendor']]]);
		}
	});

	it('reads a due time from a created-at time without an offset in the policy\'s time zone', async () => {
		// Created 45 minutes ago on Tokyo's wall clock (UTC+9 all year), normal priority due 60 minutes after: due in
		// 15 minutes, so within 30. Read on a UTC server's clock it would be created 9 hours later.
		const now = Date.now();
		const tokyoWall = new Date(now - 45 * 60_000 + 9 * 3_600_000).toISOString().slice(0, 19);
		const dueSoon = policyWith([{ id: 'due', kind: 'specialist', target: 'vendor', when: { dueWithinMinutes: 30 } }], {
			timezone: 'Asia/Tokyo',
			sla: { targetMinutes: { normal: 60 } },
		});
		const result = await onServerIn('UTC', () => runWorkflow(workflow(dueSoon), { items: [{ id: 'due-1', createdAt: tokyoWall }] }));
		expect(outcome(result.output(ROUTER, 1))).toEqual([[0, 'vendor']]);
	});

	it('a created-at time that is not ISO 8601 or epoch gives no due time: the ticket is not "due within"', async () => {
		const dueSoon = policyWith([{ id: 'due', kind: 'specialist', target: 'vendor', when: { dueWithinMinutes: 30 } }], { sla: { targetMinutes: { normal: 60 } } });
		const junk = ['-1', 'June 1', 'ticket 12', 'urgent 3', '01/06/2026'];
		const result = await runWorkflow(workflow(dueSoon), { items: junk.map((createdAt, n) => ({ id: `junk-${n}`, createdAt })) });
		expect(result.status).toBe('success');
		expect(outcome(result.output(ROUTER, 0))).toEqual(junk.map((_, n) => [n, 'team']));
		expect(result.output(ROUTER, 1)).toEqual([]);
	});
});

describe('condition paths with brackets', () => {
	it('routes on custom_fields[0].value as on custom_fields.0.value', async () => {
		const paid = policyWith([{ id: 'not-free', kind: 'specialist', target: 'vendor', when: { conditions: [{ path: 'custom_fields[0].value', operator: 'notEquals', value: 'free' }] } }]);
		const items = [
			{ id: 'cf-free', custom_fields: [{ value: 'free' }] },
			{ id: 'cf-pro', custom_fields: [{ value: 'pro' }] },
		];
		const result = await runWorkflow(workflow(paid), { items });
		expect(outcome(result.output(ROUTER, 0))).toEqual([[0, 'team']]);
		expect(outcome(result.output(ROUTER, 1))).toEqual([[1, 'vendor']]);
	});

	it('fails the policy on a bracket it cannot read, naming the condition and the path', async () => {
		const typo = policyWith([{ id: 'not-free', kind: 'specialist', target: 'vendor', when: { conditions: [{ path: 'custom_fields[x].value', operator: 'notEquals', value: 'free' }] } }]);
		const result = await runWorkflow(workflow(typo), { items: [{ id: 'cf-1' }] });
		expect(result.status).toBe('error');
		expect(result.error(ROUTER)?.message).toMatch(/rules\[0\]\.when\.conditions\[0\]\.path.*path "custom_fields\[x\]\.value" cannot be read: .*custom_fields\.0\.value/);
	});
});
