// Row-level security in the embedded database (rls.integration.test.ts: the same on PostgreSQL).
import { afterAll, beforeAll, describe } from 'vitest';
import { startServer, type TestServer } from './helpers.ts';
import { rlsSuite } from './rls-suite.ts';

let s: TestServer;
beforeAll(async () => {
  s = await startServer();
});
afterAll(() => s.close());

describe('row-level security (PGlite)', () => rlsSuite(() => s));
