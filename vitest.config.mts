import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

export default defineConfig({
	resolve: {
		// n8n-core require()s n8n-workflow's CommonJS build; our sources must get the same copy, or
		// errors thrown by our nodes would not be instances of the classes WorkflowExecute checks for.
		alias: { 'n8n-workflow': require.resolve('n8n-workflow') },
	},
	test: {
		include: ['tests/**/*.test.ts'],
		// Workflow tests boot n8n-core once per file; the PostgreSQL and concurrency suites spawn processes.
		testTimeout: 60_000,
		hookTimeout: 60_000,
		pool: 'forks',
		// Files and the tests inside them run in a random order (the seed is printed): no test may lean on another.
		// Re-run a failing order with --sequence.seed=<seed>.
		sequence: { shuffle: { files: true, tests: true } },
		setupFiles: ['tests/setup.ts'],
	},
});
