/**
 * Helpers that drive a real n8n (the pinned 2.41.1 from scripts/ensure-n8n.sh) for end-to-end and queue-mode tests.
 *
 *   const home = new N8nHome();                       // temp N8N_USER_FOLDER (or { dir, env } for your own)
 *   home.installTarball(packPackage(home.nodeBinDir)); // as users get it; or home.linkPackage() for dev
 *   await home.importWorkflows(['workflows/ticket-intake.json']);
 *   const run = await home.execute('sdTicketIntake'); // n8n execute --id --rawOutput → parsed run
 *   nodeOutput(run, 'Ticket Router', 0);
 *   await home.publish(['sdTicketIntake']);
 *   const main = await home.start();                  // n8n start on free ports, waits until it is ready
 *   await main.waitForWebhook('support-delegation/intake'); // published webhooks register shortly after
 *   const rest = await N8nRest.ownerSession(main.url); // owner setup/login cookie for /rest calls
 *   await home.start({ command: 'worker', env: { EXECUTIONS_MODE: 'queue' } });
 *   await home.dispose();                             // stops every process it started, deletes the temp folder
 */
export { baseN8nEnv, ensureN8n, freePort, PACKAGE_NAME, REPO_ROOT } from './env';
export { N8nHome, nodeOutput, parseRawOutput, type CliResult, type ExecutionResult, type HomeOptions } from './instance';
export { installTarball, linkPackage, nodesDir, packPackage } from './package';
export { N8nRest, OWNER } from './rest';
export { N8nServer, type ServerOptions } from './server';
