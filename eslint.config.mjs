import { configWithoutCloudSupport } from '@n8n/node-cli/eslint';

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
