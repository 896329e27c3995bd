import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// `npm run test:queue` only: real n8n main + workers in queue mode, minutes per file, one file at a time.
export default defineConfig({
	resolve: { alias: { 'n8n-workflow': require.resolve('n8n-workflow') } },
	test: {
		include: ['tests/queue/**/*.queue.ts'],
		testTimeout: 600_000,
		hookTimeout: 300_000,
		pool: 'forks',
		fileParallelism: false,
		setupFiles: ['tests/setup.ts'],
	},
});
