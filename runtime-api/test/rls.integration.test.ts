// Row-level security on PostgreSQL when DATABASE_URL is set (else embedded).
import { afterAll, beforeAll, describe } from 'vitest';
import { integrationDatabaseUrl, startServer, type TestServer } from './helpers.ts';
import { rlsSuite } from './rls-suite.ts';

let s: TestServer;
beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  s = await startServer(databaseUrl ? { databaseUrl } : {});
});
afterAll(() => s.close());

describe(`row-level security (${integrationDatabaseUrl() ? 'PostgreSQL' : 'PGlite'})`, () => rlsSuite(() => s));
