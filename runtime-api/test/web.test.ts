// The web app plugin: built files as they are, index.html for the app's routes, and /api, /docs
// and /health left to the API (an unknown /api route stays a JSON 404).
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import webPlugin, { DEFAULT_WEB_ROOT } from '../src/platform/plugins/web.ts';

let root: string;
let app: FastifyInstance;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'serviceloom-web-'));
  await mkdir(path.join(root, 'assets'));
  await writeFile(path.join(root, 'index.html'), '<!doctype html><div id="root"></div>');
  await writeFile(path.join(root, 'assets/app-123.js'), 'console.log(1)');
  app = Fastify();
  app.setNotFoundHandler((request, reply) => reply.status(404).send({ code: 'NOT_FOUND', message: request.url }));
  app.get('/api/v1/ping', async () => ({ pong: true }));
  app.get('/health', async () => ({ status: 'ok' }));
  await app.register(webPlugin, { root });
  await app.ready();
});

afterAll(async () => {
  await app.close();
  await rm(root, { recursive: true, force: true });
});

it("serves this repository's web/dist by default (npm start)", () => {
  expect(DEFAULT_WEB_ROOT).toBe(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/dist'));
});

describe('web app at /', () => {
  it('serves index.html at / and for the app routes, uncached', async () => {
    for (const url of ['/', '/designer', '/designer/incident?version=2', '/tasks']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toContain('text/html');
      expect(res.headers['cache-control']).toBe('no-cache');
      expect(res.body).toContain('<div id="root">');
    }
  });

  it('serves the built assets', async () => {
    const res = await app.inject({ method: 'GET', url: '/assets/app-123.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('javascript');
  });

  it('leaves /api, /docs and /health to the API', async () => {
    expect((await app.inject({ method: 'GET', url: '/api/v1/ping' })).json()).toEqual({ pong: true });
    expect((await app.inject({ method: 'GET', url: '/health' })).json()).toEqual({ status: 'ok' });
    const unknown = await app.inject({ method: 'GET', url: '/api/v1/nothing-here' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await app.inject({ method: 'GET', url: '/docs/nothing' })).statusCode).toBe(404);
  });

  it('without a build, serves nothing and lets the server start', async () => {
    const bare = Fastify({ logger: false });
    await bare.register(webPlugin, { root: path.join(root, 'missing') });
    await bare.ready();
    expect((await bare.inject({ method: 'GET', url: '/designer' })).statusCode).toBe(404);
    await bare.close();
  });
});
