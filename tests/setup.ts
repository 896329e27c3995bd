import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// n8n-core writes its instance config under N8N_USER_FOLDER on first import; keep it out of $HOME.
// The embedded ledger defaults to a file under the same folder, so tests never touch a real ~/.n8n.
if (!process.env.N8N_USER_FOLDER) {
	process.env.N8N_USER_FOLDER = mkdtempSync(join(tmpdir(), 'sd-n8n-'));
}
