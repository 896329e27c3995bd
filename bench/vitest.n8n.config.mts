import { defineConfig } from 'vitest/config';

import base from './vitest.config.mts';

// Benchmarks in the real n8n 2.41.1 (bench/**/*.n8n.bench.ts): the packed package installed as users get it. Same
// settings and results file as `npm run bench`, one file at a time.
export default defineConfig({ ...base, test: { ...base.test, include: ['bench/**/*.n8n.bench.ts'], exclude: ['**/node_modules/**'] } });
