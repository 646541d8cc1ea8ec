// The OpenAPI document of the REST API, as `npm start` serves it at /docs/json: generated from the
// route schemas (app.swagger()) of a server built with the default configuration, on embedded
// PGlite in a temp data dir that is removed again. scripts/openapi.ts writes it to docs/openapi.json.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../runtime-api/src/app.ts';
import { loadConfig } from '../runtime-api/src/platform/config.ts';

export const OPENAPI_FILE = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../docs/openapi.json');

/** A ready server's document as docs/openapi.json holds it: JSON indented by two spaces, with a final newline. */
export const openApiJson = (app: FastifyInstance) => `${JSON.stringify(app.swagger(), null, 2)}\n`;

/** The document of a server with the default configuration. */
export async function openApiText(): Promise<string> {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'serviceloom-openapi-'));
  try {
    // loadConfig({}): the defaults, whatever this shell's environment says (DATABASE_URL included).
    const config = { ...loadConfig({}), dataDir, logLevel: 'silent', seedDemo: false };
    const app = await buildApp(config, { logger: false, web: false });
    try {
      await app.ready();
      return openApiJson(app);
    } finally {
      await app.close();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
