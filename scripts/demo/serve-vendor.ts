// `node scripts/demo/serve-vendor.ts <port> [secret file]`: the demo vendor until SIGINT/SIGTERM (scripts/dev.sh).
import { readFileSync } from 'node:fs';

import { startDemoVendor } from './vendor.ts';

const port = Number(process.argv[2] ?? 0);
const secret = process.argv[3] ? readFileSync(process.argv[3], 'utf8').trim() : undefined;
const vendor = await startDemoVendor({ port, secret, log: (line) => console.log(`[demo-vendor] ${line}`) });
console.log(`[demo-vendor] listening on ${vendor.url}${secret ? ' (checks hand-off signatures)' : ''}`);
const stop = () => void vendor.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
