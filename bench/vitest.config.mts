import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

const require = createRequire(import.meta.url);

// Benchmarks run one file at a time so they do not compete for the two cores. Every bench/**/*.bench.ts is picked up,
// except the real-n8n ones (*.n8n.bench.ts), which `npm run bench:n8n` runs (bench/vitest.n8n.config.mts).
export default defineConfig({
	// Same single copy of n8n-workflow as the tests (see vitest.config.mts).
	resolve: { alias: { 'n8n-workflow': require.resolve('n8n-workflow') } },
	test: {
		include: ['bench/**/*.bench.ts'],
		exclude: ['bench/**/*.n8n.bench.ts', '**/node_modules/**'],
		testTimeout: 600_000,
		hookTimeout: 600_000,
		pool: 'forks',
		// For collectGarbage (bench/record.ts).
		execArgv: ['--expose-gc'],
		fileParallelism: false,
		setupFiles: ['tests/setup.ts'],
		globalSetup: ['bench/global-setup.ts'],
	},
});
