import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

// Data flows one way: nodes/ (n8n adapters) → domain/ (pure decisions) and ledger/ + vendor-boundary/ (I/O behind small
// interfaces). These rules keep it so: the domain never sees n8n, a driver or the network; the core never sees n8n.
const N8N = { name: 'n8n-workflow', message: 'Only nodes/ and credentials/ talk to n8n.' };
const IO = ['pg', 'axios', 'node:sqlite', 'node:fs', 'node:fs/promises', 'node:http', 'node:https', 'node:net'].map((name) => ({
	name,
	message: 'domain/ is pure: I/O lives in ledger/ or vendor-boundary/, behind an interface the domain receives.',
}));
const outOf = (...dirs) => dirs.map((d) => ({ group: [`**/${d}/**`, `**/${d}`], message: `Must not import ${d}/ (see the Architecture section of the README).` }));

// Every rule we turn off is turned off here, each with its reason.
export default [
	...configWithoutCloudSupport,
	{
		files: ['package.json'],
		rules: {
			// Self-hosted package by design (Logic/Flow nodes are not eligible for n8n Cloud): zod validates
			// policies, pg talks to the PostgreSQL ledger, axios carries hand-offs with retries.
			'@n8n/community-nodes/no-runtime-dependencies': 'off',
		},
	},
	{
		files: ['nodes/VendorCallback/VendorCallback.node.ts'],
		rules: {
			// The vendor is given the callback URL by hand (README, vendor contract): there is no vendor API on which to
			// create, check or delete a webhook registration, so there are no webhookMethods to write.
			'@n8n/community-nodes/webhook-lifecycle-complete': 'off',
		},
	},
	{
		files: ['domain/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': [
				'error',
				{
					paths: [N8N, ...IO],
					patterns: [
						...outOf('nodes', 'vendor-boundary', 'sqlite', 'postgres', 'sql', 'planning'),
						// The ledger's data model and interface are the domain's port: types only.
						{ group: ['**/ledger/model', '**/ledger/ledger', '**/ledger/errors'], allowTypeImports: true, message: 'The domain imports the ledger’s types only.' },
					],
				},
			],
		},
	},
	{
		files: ['ledger/**/*.ts', 'vendor-boundary/**/*.ts'],
		rules: {
			'@typescript-eslint/no-restricted-imports': ['error', { paths: [N8N], patterns: outOf('nodes') }],
		},
	},
	{
		files: ['tests/**/*.ts', 'bench/**/*.ts'],
		rules: {
			// Benchmarks print their tables; tests may log a skipped suite's reason.
			'no-console': 'off',
			// Tests start real processes (n8n, npm, ledger writers killed mid-batch); never shipped in the package.
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			// Test infrastructure is not node code: plain errors are what the test runner reports.
			'@n8n/community-nodes/require-node-api-error': 'off',
			// Throwaway credentials of the test instances (n8n owner, vendor signing secrets).
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
		},
	},
];
