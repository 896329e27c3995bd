import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

// Real n8n: every CLI call is a cold start and the server suites run minutes, so files run one at a time with
// long timeouts. `npm run test:e2e` (scripts/e2e.sh) builds, ensures n8n, then runs this config.
export default defineConfig({
	test: {
		root: fileURLToPath(new URL('../..', import.meta.url)),
		include: ['tests/e2e/**/*.e2e.ts'],
		testTimeout: 600_000,
		hookTimeout: 600_000,
		pool: 'forks',
		fileParallelism: false,
		reporters: ['verbose'],
	},
});
