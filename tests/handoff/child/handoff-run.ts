// One execution of the router → Provider Handoff workflow in its own process, so a test can kill -9 it mid-batch.
// Task (argv[3], JSON): ledgerFile, vendorUrl, signingSecret, tickets. Prints one JSON line with the outcome.
import { writeSync } from 'node:fs';

import { closeLedgers } from '../../../nodes/shared/ledger/open';
import { runWorkflow } from '../../harness/workflow';
import { handoffWorkflow } from '../router-workflow';

interface Task {
	ledgerFile: string;
	vendorUrl: string;
	signingSecret: string;
	tickets: object[];
}

async function main() {
	const task = JSON.parse(process.argv[3]) as Task;
	const run = await runWorkflow(handoffWorkflow(task.ledgerFile, 1), {
		items: task.tickets as never,
		credentials: { supportProviderApi: { baseUrl: task.vendorUrl, authentication: 'apiKey', headerName: 'X-API-Key', apiKey: 'k', signingSecret: task.signingSecret } },
	});
	const statuses = run.status === 'success' ? run.outputs('Hand Off to Acme').map((items) => items.map((i) => (i.json.handoff as { status: string }).status)) : [];
	await closeLedgers();
	writeSync(1, JSON.stringify({ status: run.status, outputs: statuses }) + '\n');
}

main().catch((error: Error) => {
	writeSync(2, `${error.stack ?? error.message}\n`);
	process.exit(1);
});
