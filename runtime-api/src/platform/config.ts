// Configuration from the environment (docs/api.md "Running the server"), read once at start.
import { availableParallelism } from 'node:os';
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** Server processes sharing the port (node:cluster); more than 1 needs DATABASE_URL. */
  processes: number;
  /** PostgreSQL connection string; unset: embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Runs the migrations (schema owner); unset: databaseUrl. Lets the runtime log in as a role that owns nothing. */
  databaseOwnerUrl?: string;
  /** Redis for BullMQ; unset: the embedded outbox dispatcher. */
  redisUrl?: string;
  dataDir: string;
  demoPassword?: string;
  /** SERVICELOOM_TEST_CLOCK=1: the clock can be moved forward through POST /api/v1/admin/clock. */
  testClock: boolean;
  /** Tests only (never from the environment): the instant the test clock starts at, in ms; unset: now. */
  testClockStartMs?: number;
  /** HMAC secret for session tokens; unset: generated once and kept in the database. */
  secret?: string;
  logLevel: string;
  /** Lifetime of an access token. */
  tokenTtlSeconds: number;
  /** Lifetime of a session: its refresh tokens stop working then. */
  refreshTtlSeconds: number;
  /** Consecutive failed sign-ins that lock an account. */
  lockoutThreshold: number;
  /** How long a locked account stays locked. */
  lockoutSeconds: number;
  /** Requests per minute per client address to the sign-in routes (login, refresh, password, OIDC). */
  authRateLimit: number;
  /** Origins allowed to call the API from a browser (CORS); empty: CORS off. */
  corsOrigins: string[];
  /**
   * Which proxies' X-Forwarded-For to believe for the client address (rate limits, logs): false
   * (none), the addresses or CIDRs of the proxies, or the number of proxy hops in front.
   */
  trustProxy: false | string[] | number;
  /** Where browsers reach this server (OIDC redirect URIs); default http://HOST:PORT. */
  publicUrl: string;
  /** Lets OIDC issuers be plain http:// (tests, local providers only). */
  oidcAllowHttp: boolean;
  /** How often the embedded dispatcher looks for due outbox rows (timers, retries). */
  pollIntervalMs: number;
  /** Seed tenant `demo` on an empty database. */
  seedDemo: boolean;
  /** With REDIS_URL: run BullMQ workers in this server process (SERVICELOOM_WORKERS=0: only enqueue). */
  workers: boolean;
  /** Jobs each BullMQ worker runs at once (per queue, per process). */
  workerConcurrency: number;
  /** Key prefix of the BullMQ queues in Redis: servers and workers of one installation share it. */
  queuePrefix: string;
  /** With REDIS_URL: how often overdue outbox rows are enqueued again (lost on the way, out of retries). */
  sweepIntervalMs: number;
  /** Uploads (attachments): size, quotas and uploads in flight. */
  attachments: AttachmentLimits;
  /**
   * Outbox follow-ups (starts by timers, signals, messages and call activities, and the steps they
   * cause) each tenant may run per minute; beyond it they are postponed. Per process, or shared by
   * all through Redis with REDIS_URL. 0: no limit.
   */
  tenantBudgetPerMinute: number;
  /**
   * Starts through the API (process instances, messages, signals) each tenant may make per
   * minute; beyond it they are answered 429. Counted like tenantBudgetPerMinute. 0: no limit.
   */
  tenantStartBudgetPerMinute: number;
  /** How deep call activities may nest (the root instance counts as 1). */
  callDepthLimit: number;
}

// --- Uploads -------------------------------------------------------------------------------------

export interface AttachmentLimits {
  /** Largest file accepted (SERVICELOOM_ATTACHMENT_MAX_BYTES). */
  maxBytes: number;
  /** Bytes of files one user may have stored (SERVICELOOM_ATTACHMENT_USER_QUOTA_BYTES); 0: no limit. */
  userQuotaBytes: number;
  /** Bytes of files one tenant may have stored (SERVICELOOM_ATTACHMENT_TENANT_QUOTA_BYTES); 0: no limit. */
  tenantQuotaBytes: number;
  /** Uploads one user may have in flight, per server process (SERVICELOOM_ATTACHMENT_USER_CONCURRENCY). */
  userConcurrency: number;
  /** Uploads one tenant may have in flight, per server process (SERVICELOOM_ATTACHMENT_TENANT_CONCURRENCY). */
  tenantConcurrency: number;
}

const MiB = 1024 * 1024;

function attachmentLimits(env: NodeJS.ProcessEnv): AttachmentLimits {
  const maxBytes = integer('SERVICELOOM_ATTACHMENT_MAX_BYTES', env.SERVICELOOM_ATTACHMENT_MAX_BYTES, 10 * MiB);
  // The size column is a 32-bit integer.
  if (maxBytes < 1 || maxBytes > 1024 * MiB)
    throw new Error(`SERVICELOOM_ATTACHMENT_MAX_BYTES must be 1 to ${1024 * MiB}, got "${maxBytes}"`);
  return {
    maxBytes,
    userQuotaBytes: integer('SERVICELOOM_ATTACHMENT_USER_QUOTA_BYTES', env.SERVICELOOM_ATTACHMENT_USER_QUOTA_BYTES, 200 * MiB),
    tenantQuotaBytes: integer('SERVICELOOM_ATTACHMENT_TENANT_QUOTA_BYTES', env.SERVICELOOM_ATTACHMENT_TENANT_QUOTA_BYTES, 5 * 1024 * MiB),
    userConcurrency: Math.max(1, integer('SERVICELOOM_ATTACHMENT_USER_CONCURRENCY', env.SERVICELOOM_ATTACHMENT_USER_CONCURRENCY, 3)),
    tenantConcurrency: Math.max(1, integer('SERVICELOOM_ATTACHMENT_TENANT_CONCURRENCY', env.SERVICELOOM_ATTACHMENT_TENANT_CONCURRENCY, 10)),
  };
}

// -------------------------------------------------------------------------------------------------

const truthy = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

function queuePrefix(value: string | undefined): string {
  if (value === undefined || value === '') return 'serviceloom';
  if (!/^[A-Za-z0-9_.-]{1,64}$/.test(value))
    throw new Error(`SERVICELOOM_QUEUE_PREFIX must be letters, digits, "_", "." or "-", got "${value}"`);
  return value;
}

/** SERVICELOOM_PROCESSES: a positive integer, or `auto` for one per CPU. */
function processes(value: string | undefined): number {
  if (value === 'auto') return availableParallelism();
  return Math.max(1, integer('SERVICELOOM_PROCESSES', value, 1));
}

/** SERVICELOOM_TRUST_PROXY: empty (no proxy), a number of hops, or proxy addresses and CIDRs. */
function trustProxy(value: string | undefined): false | string[] | number {
  const v = (value ?? '').trim();
  if (v === '') return false;
  if (/^\d+$/.test(v)) return integer('SERVICELOOM_TRUST_PROXY', v, 0) || false;
  const entries = list(v);
  const bad = entries.find((e) => !/^[0-9a-fA-F.:]+(\/\d{1,3})?$/.test(e) && !['loopback', 'linklocal', 'uniquelocal'].includes(e));
  if (bad) {
    throw new Error(
      `SERVICELOOM_TRUST_PROXY must be a number of proxy hops, or proxy addresses and CIDRs (or loopback, linklocal, uniquelocal), got "${bad}"`,
    );
  }
  return entries;
}

const list = (v: string | undefined) =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = integer('PORT', env.PORT, 3000);
  const host = env.HOST || '127.0.0.1';
  return {
    port,
    host,
    processes: processes(env.SERVICELOOM_PROCESSES),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseOwnerUrl: env.DATABASE_OWNER_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    dataDir: path.resolve(env.SERVICELOOM_DATA_DIR || './data'),
    demoPassword: env.SERVICELOOM_DEMO_PASSWORD || undefined,
    testClock: truthy(env.SERVICELOOM_TEST_CLOCK),
    secret: env.SERVICELOOM_SECRET || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    tokenTtlSeconds: Math.max(1, integer('SERVICELOOM_TOKEN_TTL', env.SERVICELOOM_TOKEN_TTL, 15 * 60)),
    refreshTtlSeconds: Math.max(1, integer('SERVICELOOM_REFRESH_TTL', env.SERVICELOOM_REFRESH_TTL, 30 * 24 * 3600)),
    lockoutThreshold: Math.max(1, integer('SERVICELOOM_LOCKOUT_THRESHOLD', env.SERVICELOOM_LOCKOUT_THRESHOLD, 5)),
    lockoutSeconds: integer('SERVICELOOM_LOCKOUT_SECONDS', env.SERVICELOOM_LOCKOUT_SECONDS, 15 * 60),
    authRateLimit: Math.max(1, integer('SERVICELOOM_AUTH_RATE_LIMIT', env.SERVICELOOM_AUTH_RATE_LIMIT, 30)),
    corsOrigins: list(env.SERVICELOOM_CORS_ORIGINS),
    trustProxy: trustProxy(env.SERVICELOOM_TRUST_PROXY),
    publicUrl: (env.SERVICELOOM_PUBLIC_URL || `http://${host.includes(':') ? `[${host}]` : host}:${port}`).replace(/\/+$/, ''),
    oidcAllowHttp: truthy(env.SERVICELOOM_OIDC_ALLOW_HTTP),
    pollIntervalMs: integer('SERVICELOOM_POLL_MS', env.SERVICELOOM_POLL_MS, 1000),
    seedDemo: env.SERVICELOOM_SEED_DEMO === undefined ? true : truthy(env.SERVICELOOM_SEED_DEMO),
    workers: env.SERVICELOOM_WORKERS === undefined || env.SERVICELOOM_WORKERS === '' ? true : truthy(env.SERVICELOOM_WORKERS),
    workerConcurrency: Math.max(1, integer('SERVICELOOM_WORKER_CONCURRENCY', env.SERVICELOOM_WORKER_CONCURRENCY, 8)),
    queuePrefix: queuePrefix(env.SERVICELOOM_QUEUE_PREFIX),
    sweepIntervalMs: integer('SERVICELOOM_SWEEP_MS', env.SERVICELOOM_SWEEP_MS, 10_000),
    attachments: attachmentLimits(env),
    tenantBudgetPerMinute: integer('SERVICELOOM_TENANT_BUDGET', env.SERVICELOOM_TENANT_BUDGET, 1200),
    // Generous: a busy service desk, an import or a load test (npm run bench:api: ~300 starts a
    // second) stays well below; what it stops is one tenant flooding the server for all.
    tenantStartBudgetPerMinute: integer('SERVICELOOM_TENANT_START_BUDGET', env.SERVICELOOM_TENANT_START_BUDGET, 60_000),
    callDepthLimit: Math.max(1, integer('SERVICELOOM_CALL_DEPTH', env.SERVICELOOM_CALL_DEPTH, 16)),
  };
}
