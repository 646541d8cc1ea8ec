// Tenant isolation through every route, on embedded PGlite (isolation.integration.test.ts runs the
// same suite on PostgreSQL).
import { afterAll, beforeAll, describe } from 'vitest';
import { startServer, type TestServer } from './helpers.ts';
import { isolationSuite } from './isolation-suite.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('tenant isolation (PGlite)', () => isolationSuite(() => s));
