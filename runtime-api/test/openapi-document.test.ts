// docs/openapi.json is the committed OpenAPI document of the REST API, for readers and client
// generators that do not run the server; it must say what the route schemas say today.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, openApiJson } from '../../scripts/openapi-document.ts';
import { startServer, type TestServer } from './helpers.ts';

// Without the test clock, whose routes `npm start` does not serve (and scripts/openapi.ts leaves out).
let s: TestServer;
beforeAll(async () => {
  s = await startServer({ testClock: false });
}, 180_000);
afterAll(() => s?.close());

describe('docs/openapi.json', () => {
  it('is the document the routes generate now (else: npm run openapi, and commit the file)', async () => {
    const committed = JSON.parse(await readFile(OPENAPI_FILE, 'utf8'));
    expect(committed, 'docs/openapi.json is stale: run `npm run openapi` and commit it').toEqual(JSON.parse(openApiJson(s.app)));
  });
});
