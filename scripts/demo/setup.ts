// What `npm run dev` puts into a fresh n8n user folder so every template runs from its Execute button: the
// credentials the templates name, pointing at the demo vendor, then the templates themselves. The newcomer e2e test
// calls the same `importDemo`, so it checks exactly what a new user gets.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface CredentialRef {
	id: string;
	name: string;
}

/** One Support Provider API credential per vendor of the templates' policies: the per-vendor pattern. */
export const DEMO_VENDORS: Array<{ vendor: string; credential: CredentialRef }> = [
	{ vendor: 'billingpro', credential: { id: 'sdDemoBillingPro', name: 'BillingPro (demo vendor)' } },
	{ vendor: 'voiceline', credential: { id: 'sdDemoVoiceLine0', name: 'VoiceLine (demo vendor)' } },
	{ vendor: 'peakforce', credential: { id: 'sdDemoPeakForce0', name: 'PeakForce (demo vendor)' } },
];

/** The AI triage template's chat model: an OpenAI credential whose base URL is the demo vendor's keyword stand-in. */
export const DEMO_MODEL: CredentialRef = { id: 'sdDemoModelOpenAi', name: 'Demo model (keyword stand-in, not AI)' };

/** `n8n import:credentials` input: plain data, n8n encrypts it with the user folder's key. */
export function demoCredentials(vendorUrl: string, secret: string): Array<CredentialRef & { type: string; data: Record<string, unknown> }> {
	return [
		...DEMO_VENDORS.map(({ vendor, credential }) => ({
			...credential,
			type: 'supportProviderApi',
			data: {
				baseUrl: `${vendorUrl}/${vendor}`,
				// The demo vendor checks signatures, not keys; a real vendor gives you a key (or a token).
				authentication: 'none',
				signingSecret: secret,
			},
		})),
		{ ...DEMO_MODEL, type: 'openAiApi', data: { apiKey: 'demo-no-key-needed', url: `${vendorUrl}/v1`, header: false } },
	];
}

export interface ImportDemoOptions {
	/** The n8n binary (scripts/ensure-n8n.sh prints it). */
	n8n: string;
	/** Environment of the n8n CLI calls: N8N_USER_FOLDER and a free N8N_RUNNERS_BROKER_PORT at least. */
	env: NodeJS.ProcessEnv;
	vendorUrl: string;
	secret: string;
	/** Folder of template JSON files (workflows/). */
	templates: string;
}

/** Imports the demo credentials, then every template (each keeps its id; a re-import overwrites the same id). */
export async function importDemo(options: ImportDemoOptions): Promise<void> {
	const dir = mkdtempSync(join(tmpdir(), 'sd-demo-'));
	const file = join(dir, 'credentials.json');
	try {
		writeFileSync(file, JSON.stringify(demoCredentials(options.vendorUrl, options.secret)), { mode: 0o600 });
		await n8n(options, ['import:credentials', `--input=${file}`]);
		await n8n(options, ['import:workflow', '--separate', `--input=${options.templates}`]);
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

function n8n(options: ImportDemoOptions, args: string[]): Promise<void> {
	return new Promise((resolve, reject) => {
		execFile(options.n8n, args, { env: options.env, cwd: options.env.N8N_USER_FOLDER, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
			if (error) reject(new Error(`n8n ${args[0]} failed (${error.message})\n${stdout}\n${stderr}`));
			else resolve();
		});
	});
}
