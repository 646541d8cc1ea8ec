// `npm run test:e2e`: browser tests in Debian's Chromium (playwright-core) against the real server
// on a temp embedded database, after `npm run build:web`. Not part of `npm test`.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['web/e2e/**/*.e2e.test.ts'],
    exclude: ['**/node_modules/**'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    // A step's effect reaches another browser through the server on a busy machine: polls wait as
    // long as a locator does (15 s), not vitest's default second.
    expect: { poll: { timeout: 15_000 } },
  },
});
