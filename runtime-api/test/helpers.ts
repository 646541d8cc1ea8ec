// Test harness: a server on a fresh embedded database (its own temp data dir), signed-in users,
// and small request helpers over app.inject.
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions } from 'fastify';
import type { Knex } from 'knex';
import pg from 'pg';
import { buildApp } from '../src/app.ts';
import { hashPassword } from '../src/platform/auth/passwords.ts';
import { type Config, loadConfig } from '../src/platform/config.ts';
import { freshDataDir } from './template.ts';

export const PASSWORD = 'test-password';

export interface TestServer {
  app: FastifyInstance;
  dataDir: string;
  /** Tokens of the seeded demo users. */
  tokens: Record<string, string>;
  config: Config;
  /** Drops the server's database (a scratch PostgreSQL database, or the data dir it made). */
  removeData(): Promise<void>;
  /** Closes the server and removes its data. */
  close(): Promise<void>;
}

/** Unit tests always run embedded; integration tests use DATABASE_URL's PostgreSQL when set. */
/** A TCP port free on 127.0.0.1 now, for a server a test spawns. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

export const integrationDatabaseUrl = () => process.env.DATABASE_URL || undefined;

function testConfig(dataDir: string, overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({}),
    dataDir,
    databaseUrl: undefined,
    demoPassword: PASSWORD,
    testClock: true,
    logLevel: 'silent',
    pollIntervalMs: 200,
    // Tests move the clock hours ahead; their tokens should outlive that.
    tokenTtlSeconds: 7 * 24 * 3600,
    authRateLimit: 10_000,
    ...overrides,
  };
}

/** Builds the embedded database a test file starts from: migrated and seeded. */
async function buildTemplate(dir: string): Promise<void> {
  const app = await buildApp(testConfig(dir), { logger: false });
  await app.ready();
  await app.close();
}

/**
 * A server on its own database: a copy of the seeded template in a temp data dir (or the given
 * dir, to restart on the same data), or PostgreSQL when `overrides.databaseUrl` is given.
 */
export async function startServer(overrides: Partial<Config> = {}, dataDir?: string): Promise<TestServer> {
  // SERVICELOOM_UNIT_PG=<admin url>: every server gets a fresh PostgreSQL database instead of PGlite.
  const adminUrl = process.env.SERVICELOOM_UNIT_PG;
  const scratch = !overrides.databaseUrl && !dataDir && adminUrl ? await scratchDatabase(adminUrl) : undefined;
  if (scratch) overrides = { ...overrides, databaseUrl: scratch.url };
  const dir =
    dataDir ??
    (overrides.databaseUrl ? await mkdtemp(path.join(tmpdir(), 'serviceloom-test-')) : await freshDataDir(PASSWORD, buildTemplate));
  const config = testConfig(dir, overrides);
  const app = await buildApp(config, { logger: false });
  await app.ready();
  const removeData = async () => {
    await scratch?.drop();
    if (!dataDir) await rm(dir, { recursive: true, force: true });
  };
  const tokens: Record<string, string> = {};
  for (const user of ['admin', 'owner', 'formadmin', 'agent1', 'agent2', 'requester']) tokens[user] = await tokenFor(app, user);
  return {
    app,
    dataDir: dir,
    tokens,
    config,
    removeData,
    async close() {
      await app.close();
      await removeData();
    },
  };
}

/** A new, empty database on the PostgreSQL server the admin URL points at. */
async function scratchDatabase(adminUrl: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sl_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await c.end();
    },
  };
}

export async function login(app: FastifyInstance, username: string, password = PASSWORD, tenant = 'demo'): Promise<string> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { tenant, username, password } });
  if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
  return res.json().token;
}

/**
 * A session for a user, opened directly: scrypt makes every real login cost tens of milliseconds
 * of CPU, and the login route has tests of its own.
 */
export async function tokenFor(app: FastifyInstance, username: string, tenant = 'demo'): Promise<string> {
  return app.services.transactions.withTenant(tenant, async (work) => {
    const user = await work.tx('users').where({ tenant_id: tenant, username }).first();
    if (!user) throw new Error(`no user ${username} in ${tenant}`);
    return (await app.services.identity.openSession(work, user, 'password')).token;
  });
}

/** Adds a user straight to the database (quicker than the users API: no password hashing per user) and signs in. */
export async function addUser(
  app: FastifyInstance,
  username: string,
  roles: string[],
  groups: string[] = [],
  tenant = 'demo',
): Promise<string> {
  const id = randomUUID();
  const hash = await passwordHash();
  await app.services.transactions.withTenant(tenant, async (work) => {
    await work
      .tx('users')
      .insert({ id, tenant_id: tenant, username, display_name: username, password_hash: hash, roles: JSON.stringify(roles) });
    for (const g of groups) {
      await work.tx('groups').insert({ tenant_id: tenant, id: g, name: g }).onConflict(['tenant_id', 'id']).ignore();
      await work.tx('user_groups').insert({ tenant_id: tenant, user_id: id, group_id: g });
    }
  });
  return tokenFor(app, username, tenant);
}

/**
 * Runs `fn` in a transaction of one tenant, as the runtime does: for tests that inspect or doctor
 * rows no route shows (the outbox, timers).
 */
export function inTenant<T>(app: FastifyInstance, tenant: string, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  return app.services.transactions.read(tenant, fn);
}

/**
 * Runs `fn` as the role the server logs in with (`RESET ROLE`): for reading the catalogue. Above
 * row-level security only if that role is a superuser (FORCE holds a mere owner to the policies),
 * so tenant rows are for `inTenant`.
 */
export function asOwner<T>(app: FastifyInstance, fn: (tx: Knex.Transaction) => Promise<T>): Promise<T> {
  return app.db.transaction(async (tx) => {
    await tx.raw('SET LOCAL ROLE NONE');
    return fn(tx);
  });
}

let hashed: Promise<string> | undefined;
const passwordHash = () => {
  hashed ??= hashPassword(PASSWORD);
  return hashed;
};

export type Call = (method: InjectOptions['method'], url: string, payload?: unknown) => Promise<{ status: number; body: any }>;

/** A request helper bound to one user's token. */
export function as(app: FastifyInstance, token: string | undefined): Call {
  return async (method, url, payload) => {
    const res = await app.inject({
      method,
      url,
      ...(payload !== undefined ? { payload: payload as InjectOptions['payload'] } : {}),
      headers: token ? { authorization: `Bearer ${token}` } : {},
    });
    let body: unknown = res.body;
    try {
      body = res.json();
    } catch {}
    return { status: res.statusCode, body };
  };
}

/** Runs every due follow-up (call activities, thrown messages and signals) to the end. */
/**
 * Runs the outbox until nothing is due, and again after the work done after commits (a
 * delivery's send), which may write rows of its own.
 */
export async function settle(app: FastifyInstance): Promise<void> {
  do await app.outbox.dispatcher.drain();
  while (await app.services.transactions.settled());
}

/** Deploys and returns the definition. */
export async function deploy(call: Call, xml: string): Promise<{ id: string; key: string; version: number }> {
  const res = await call('POST', '/api/v1/definitions', { bpmnXml: xml });
  if (res.status !== 201) throw new Error(`deploy: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}

export async function startInstance(call: Call, definitionKey: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/api/v1/process-instances', { definitionKey, ...extra });
  if (res.status !== 201) throw new Error(`start: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; status: string; variables: Record<string, unknown> };
}

/** Wraps process content in a BPMN document declaring the sl namespace. */
export function bpmn(processId: string, body: string, extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs-${processId}" targetNamespace="http://serviceloom.dev/test">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
${body}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A straight line of elements joined by sequence flows: start -> ...nodes -> end. */
export function line(processId: string, nodes: string[], extra = ''): string {
  const ids = nodes.map((n) => /id="([^"]+)"/.exec(n)?.[1] as string);
  const all = ['start', ...ids, 'end'];
  const flows = all
    .slice(1)
    .map((id, i) => `<bpmn:sequenceFlow id="f${i}" sourceRef="${all[i]}" targetRef="${id}"/>`)
    .join('\n');
  return bpmn(processId, `<bpmn:startEvent id="start"/>\n${nodes.join('\n')}\n<bpmn:endEvent id="end"/>\n${flows}`, extra);
}

export const userTask = (id: string, attrs = '') => `<bpmn:userTask id="${id}" name="${id}" ${attrs}/>`;
