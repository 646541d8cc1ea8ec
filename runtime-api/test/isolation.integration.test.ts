// Tenant isolation through every route, on PostgreSQL when DATABASE_URL is set (else embedded).
import { afterAll, beforeAll, describe } from 'vitest';
import { integrationDatabaseUrl, startServer, type TestServer } from './helpers.ts';
import { isolationSuite } from './isolation-suite.ts';

let s: TestServer;
beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  s = await startServer(databaseUrl ? { databaseUrl } : {});
});
afterAll(() => s.close());

describe(`tenant isolation (${integrationDatabaseUrl() ? 'PostgreSQL' : 'PGlite'})`, () => isolationSuite(() => s));
