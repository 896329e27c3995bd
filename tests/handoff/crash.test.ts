import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { withLedger } from './ledger-file';
import { VendorServer } from './vendor-server';

const ROOT = join(__dirname, '..', '..');
const SECRET = 'whsec_crash';
const N = 6;
const K = 3;

let server: VendorServer;
// A fresh vendor per test: its counts are this test's alone.
beforeEach(async () => {
	server = await new VendorServer({ secret: SECRET }).start();
});
afterEach(() => server.stop());

const tickets = Array.from({ length: N }, (_, i) => ({
	id: `CRASH-${i + 1}`,
	subject: `Refund for order ${i + 1}`,
	body: '',
	tags: [],
	language: 'en',
	channel: 'email',
	customer: { tier: 'pro', region: 'eu' },
}));

/** Runs the workflow once in a child process (tests/handoff/child), resolving with its exit code or signal. */
function execution(ledgerFile: string): { child: ChildProcess; exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> } {
	const task = { ledgerFile, vendorUrl: server.url, signingSecret: SECRET, tickets };
	const child = spawn(process.execPath, [join(__dirname, 'child', 'ts-hook.cjs'), join(__dirname, 'child', 'handoff-run.ts'), JSON.stringify(task)], {
		cwd: ROOT,
		env: { ...process.env, N8N_USER_FOLDER: mkdtempSync(join(tmpdir(), 'sd-crash-user-')) },
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	let stderr = '';
	child.stdout!.on('data', (d) => (stdout += d));
	child.stderr!.on('data', (d) => (stderr += d));
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
		child.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
	);
	return { child, exited };
}

const ours = () => server.received.filter((r) => r.ticketId?.startsWith('CRASH-'));

describe('Provider Handoff killed with SIGKILL mid-batch', () => {
	// Two places for the kill: with the k-th ticket created at the vendor but its answer not yet written (in flight for
	// the child), and right after the k-th answer left (the child may or may not have recorded it).
	it.each([
		['before', 'beforeAnswer'],
		['after', 'onAnswered'],
	] as const)(`re-run after a kill -9 %s vendor answer ${K} of ${N}: every ticket created once, only the one in flight sent again, under its key`, async (when, hook) => {
		const ledgerFile = join(mkdtempSync(join(tmpdir(), 'sd-crash-')), 'ledger.sqlite');

		const first = execution(ledgerFile);
		let seenAtKill = -1;
		server[hook] = (request) => {
			if (!request.ticketId?.startsWith('CRASH-') || seenAtKill >= 0) return;
			if (ours().length === K) {
				first.child.kill('SIGKILL');
				seenAtKill = ours().length;
			}
		};
		const killed = await first.exited;
		server[hook] = null;
		expect(killed.signal, `${killed.code} ${killed.stdout} ${killed.stderr.slice(0, 2000)}`).toBe("SIGKILL");
		expect(seenAtKill).toBe(K);
		expect(ours()).toHaveLength(K);

		// What the killed execution left: the first k-1 recorded as delivered, the k-th's intent (with its key) recorded
		// before its request (its result maybe too), nothing for the rest.
		const left = await withLedger(ledgerFile, (ledger) =>
			Promise.all(
				tickets.map(async (t) => {
					const [decision] = await ledger.decisionsOf('support', t.id);
					const { planned: [view] } = await ledger.writeHandoffs('support', { results: [], requests: [{ decisionId: decision.id, plan: (v) => ({ intent: null, result: v }) }] });
					return [decision.status, view.handoff?.state ?? null, view.handoff?.idempotencyKey ?? null];
				}),
			),
		);
		const sentKeys = ours().map((r) => r.headers['idempotency-key']);
		expect(left.slice(0, K - 1)).toEqual(sentKeys.slice(0, K - 1).map((key) => ['handed_off', 'delivered', key]));
		if (when === 'before') expect(left[K - 1]).toEqual(['routed', 'sending', sentKeys[K - 1]]);
		else expect([['routed', 'sending', sentKeys[K - 1]], ['handed_off', 'delivered', sentKeys[K - 1]]]).toContainEqual(left[K - 1]);
		expect(left.slice(K)).toEqual(Array(N - K).fill(['routed', null, null]));

		const second = execution(ledgerFile);
		const done = await second.exited;
		expect(done.code, done.stderr).toBe(0);
		const [delivered, failed, pending] = (JSON.parse(done.stdout.trim().split('\n').pop()!) as { outputs: string[][] }).outputs;
		expect([delivered.length, failed.length, pending.length]).toEqual([N, 0, 0]);

		// At the vendor, counted by Idempotency-Key: one ticket per key, one key per ticket.
		const keyOf = new Map<string, Set<string>>();
		for (const r of ours()) {
			const keys = keyOf.get(r.ticketId!) ?? new Set<string>();
			keys.add(r.headers['idempotency-key'] as string);
			keyOf.set(r.ticketId!, keys);
		}
		expect([...keyOf.values()].map((keys) => keys.size)).toEqual(Array(N).fill(1));
		const createdKeys = [...server.created.keys()].filter((key) => [...keyOf.values()].some((keys) => keys.has(key)));
		expect(createdKeys).toHaveLength(N);
		for (const t of tickets) expect(server.createdPerTicket.get(t.id)).toBe(1);
		// Only what was in flight went out again: tickets 1..k-1 once, ticket k at most twice (same key), the rest once.
		const requests = tickets.map((t) => ours().filter((r) => r.ticketId === t.id).length);
		expect(requests.slice(0, K - 1)).toEqual(Array(K - 1).fill(1));
		if (when === 'before') expect(requests[K - 1]).toBe(2);
		else expect([1, 2]).toContain(requests[K - 1]);
		expect(requests.slice(K)).toEqual(Array(N - K).fill(1));

		await withLedger(ledgerFile, async (ledger) => {
			for (const t of tickets) {
				const decisions = await ledger.decisionsOf('support', t.id);
				expect(decisions).toHaveLength(1);
				const key = [...keyOf.get(t.id)!][0];
				expect(decisions[0]).toMatchObject({ vendor: 'acme', status: 'handed_off', providerReference: server.created.get(key) });
			}
		});
		// Which way the race went for the k-th (recorded before the kill or not) is reported, not hidden.
		console.info(`crash ${when}: the ticket in flight at the kill was ${requests[K - 1] === 2 ? 'sent again under its key' : 'already recorded as delivered'}`);
	}, 120_000);
});
