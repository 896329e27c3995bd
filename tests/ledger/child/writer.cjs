// A separate process that routes batches into a shared ledger, for the concurrency and crash suites.
// Loads the compiled ledger from LEDGER_DIST (a private copy of dist/ledger).
'use strict';
const { writeSync } = require('node:fs');
const { join } = require('node:path');

const task = JSON.parse(process.argv[2]);
const dist = process.env.LEDGER_DIST;
const say = (message) => writeSync(1, JSON.stringify(message) + '\n');

async function open() {
	if (task.backend === 'sqlite') {
		const { SqliteLedger } = require(join(dist, 'sqlite', 'sqlite-ledger.js'));
		return SqliteLedger.open(task.file, { lockWaitMs: 30_000 });
	}
	const { PostgresLedger } = require(join(dist, 'postgres', 'postgres-ledger.js'));
	return PostgresLedger.open({ connection: task.pg, schema: task.schema });
}

const HOUR = 3_600_000;
const request = (ticketIds) => ({
	now: Date.now(),
	ticketIds,
	vendors: ['acme'],
	internalWindowMs: HOUR,
	shareWindowMs: 30 * 24 * HOUR,
	monthStart: Date.now() - 24 * HOUR,
});

function row(ticketId, vendor, executionId) {
	return {
		id: `${process.pid}-${ticketId}-${Math.random().toString(36).slice(2)}`,
		scope: 'support',
		ticketId,
		decidedAt: Date.now(),
		destination: vendor ?? 'tier1',
		kind: vendor ? 'external' : 'internal',
		vendor,
		contract: vendor ? 'capacity' : null,
		reason: vendor ? 'overflow' : 'default',
		ruleId: 'peak',
		guardrail: null,
		policyVersion: 'v1',
		channel: 'email',
		language: 'en',
		topic: 'billing',
		priority: 'normal',
		costEstimate: vendor ? 3 : 0,
		workflowId: 'wf',
		executionId,
		previousId: null,
		matched: null,
	};
}

/** Holds the CPU like a real decide over a big batch would, widening any race a backend might have. */
function think(ms) {
	const until = Date.now() + ms;
	while (Date.now() < until);
}

async function main() {
	const ledger = await open();
	say({ ready: true });
	while (Date.now() < task.startAt) await new Promise((r) => setTimeout(r, 2));

	if (task.mode === 'cap') {
		let toAcme = 0;
		for (let b = 0; b < task.batches; b++) {
			const tickets = Array.from({ length: task.batchSize }, (_, i) => `${process.pid}-${b}-${i}`);
			toAcme += await ledger.routeBatch('support', request(tickets), (snapshot) => {
				think(3);
				const room = Math.max(0, task.cap - snapshot.vendors.acme.lastDay);
				const rows = tickets.map((t, i) => row(t, i < room ? 'acme' : null, `${process.pid}-${b}`));
				return { rows, overflowActive: {}, result: Math.min(room, tickets.length) };
			});
		}
		say({ toAcme });
	} else if (task.mode === 'same-ticket') {
		const wrote = await ledger.routeBatch('support', request([task.ticketId]), (snapshot) => {
			think(3);
			if (snapshot.open[task.ticketId]) return { rows: [], overflowActive: {}, result: false };
			return { rows: [row(task.ticketId, 'acme', String(process.pid))], overflowActive: {}, result: true };
		});
		say({ wrote });
	} else if (task.mode === 'crash') {
		// Runs until killed; says when each batch begins (inside its transaction) and when it committed.
		for (let b = 0; ; b++) {
			const executionId = `${task.label}-${b}`;
			const tickets = Array.from({ length: task.batchSize }, (_, i) => `${executionId}-${i}`);
			await ledger.routeBatch('support', request(tickets), (_snapshot, ahead) => {
				say({ begin: executionId });
				if (b === task.holdAt) {
					// Inside the transaction, holding its lock, until the test has seen that and kills us.
					say({ holding: executionId });
					for (;;);
				}
				const rows = tickets.map((t, i) => row(t, i % 2 ? 'acme' : null, executionId));
				// As the router does: groups of 1,000 handed to the ledger while still deciding (PostgreSQL sends them at
				// once), so a kill can land with groups already on the server.
				let handed = 0;
				for (; handed + 1000 < rows.length; handed += 1000) {
					ahead(rows.slice(handed, handed + 1000));
					say({ handed: executionId });
					// Long after the first group: the window the test kills in (it waits for this message).
					think(handed === 0 ? 25 : 2);
				}
				return { rows: rows.slice(handed), overflowActive: {}, result: null };
			});
			say({ committed: executionId });
		}
	}
	await ledger.close();
}

main().catch((error) => {
	say({ error: String(error && error.stack ? error.stack : error) });
	process.exit(1);
});
