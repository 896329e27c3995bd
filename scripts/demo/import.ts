// `node scripts/demo/import.ts <n8n binary> <demo vendor URL> <secret file> <templates folder>`, with the n8n
// environment (N8N_USER_FOLDER, N8N_RUNNERS_BROKER_PORT) set: scripts/dev.sh's import step.
import { readFileSync } from 'node:fs';

import { importDemo } from './setup.ts';

const [n8n, vendorUrl, secretFile, templates] = process.argv.slice(2);
if (!n8n || !vendorUrl || !secretFile || !templates) {
	console.error('usage: node scripts/demo/import.ts <n8n> <vendor URL> <secret file> <templates folder>');
	process.exit(2);
}
await importDemo({ n8n, env: process.env, vendorUrl, secret: readFileSync(secretFile, 'utf8').trim(), templates });
