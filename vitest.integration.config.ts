// `npm run test:integration`: flows end to end, on PostgreSQL when DATABASE_URL is set, else on
// embedded PGlite.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.integration.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 60_000,
    // Every statement compiled once per shape is checked against knex's own compilation (runtime-api/src/platform/db/compiled.ts).
    env: { SERVICELOOM_VERIFY_COMPILED: '1' },
    hookTimeout: 120_000,
    // One database, many files: run them one after another.
    fileParallelism: false,
  },
});
