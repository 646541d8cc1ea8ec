import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/src/**/*.test.ts', '**/src/**/*.test.tsx', '**/test/**/*.test.ts'],
    exclude: ['**/node_modules/**', '**/*.integration.test.ts', '**/*.e2e.test.ts'],
    testTimeout: 20_000,
    // Every statement compiled once per shape is checked against knex's own compilation (runtime-api/src/platform/db/compiled.ts).
    env: { SERVICELOOM_VERIFY_COMPILED: '1' },
    // runtime-api test files each start a server on an embedded database first.
    hookTimeout: 60_000,
  },
});
