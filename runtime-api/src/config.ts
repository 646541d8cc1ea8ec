// Configuration from the environment (API.md "Running"), read once at start.
import path from 'node:path';

export interface Config {
  port: number;
  host: string;
  /** PostgreSQL connection string; unset: embedded PGlite in dataDir. */
  databaseUrl?: string;
  /** Redis for BullMQ; unset: the embedded outbox dispatcher. */
  redisUrl?: string;
  dataDir: string;
  demoPassword?: string;
  /** SERVICELOOM_TEST_CLOCK=1: the clock can be moved forward through POST /api/v1/admin/clock. */
  testClock: boolean;
  /** HMAC secret for session tokens; unset: generated once and kept in the database. */
  secret?: string;
  logLevel: string;
  /** Lifetime of a session token. */
  tokenTtlSeconds: number;
  /** How often the embedded dispatcher looks for due outbox rows (timers, retries). */
  pollIntervalMs: number;
  /** Seed tenant `demo` on an empty database. */
  seedDemo: boolean;
}

const truthy = (v: string | undefined) => v !== undefined && ['1', 'true', 'yes', 'on'].includes(v.toLowerCase());

function integer(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a non-negative integer, got "${value}"`);
  return n;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  return {
    port: integer('PORT', env.PORT, 3000),
    host: env.HOST || '127.0.0.1',
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    dataDir: path.resolve(env.SERVICELOOM_DATA_DIR || './data'),
    demoPassword: env.SERVICELOOM_DEMO_PASSWORD || undefined,
    testClock: truthy(env.SERVICELOOM_TEST_CLOCK),
    secret: env.SERVICELOOM_SECRET || undefined,
    logLevel: env.LOG_LEVEL || 'info',
    tokenTtlSeconds: integer('SERVICELOOM_TOKEN_TTL', env.SERVICELOOM_TOKEN_TTL, 12 * 3600),
    pollIntervalMs: integer('SERVICELOOM_POLL_MS', env.SERVICELOOM_POLL_MS, 1000),
    seedDemo: env.SERVICELOOM_SEED_DEMO === undefined ? true : truthy(env.SERVICELOOM_SEED_DEMO),
  };
}
