// Each tenant's budgets per minute, of two kinds (wiring/outbox.ts makes one of each):
// - outbox follow-ups (instance starts by timers, signals, messages and call activities, and the
//   steps they cause). A process that starts or steps itself without end (a PT0S timer loop, a
//   signal that starts its own process, a cycle that fell far behind) spends its tenant's budget
//   and then waits: its rows are rescheduled, never dropped, and the server's time goes to other
//   tenants and to HTTP requests;
// - starts through the API (POST /process-instances, /messages, /signals): beyond it the request
//   is answered 429 TENANT_BUDGET_EXCEEDED with Retry-After (process/routes/start-budget.ts).
//
// TenantBudget counts in this process. With REDIS_URL, RedisBudget (redis-budget.ts) counts in
// Redis, shared by every process, and falls back to a TenantBudget while Redis does not answer.

/** A tenant's budget as the processor and the routes use it, counted here or in Redis. */
export interface Budget {
  /** Units a tenant may spend per minute; 0: no limit. */
  readonly perMinute: number;
  /** Whether the tenant may spend one more unit now; takes it from the budget if so. */
  take(tenantId: string): Promise<boolean>;
  /** After a refused take: how long (ms) until the tenant may try again. */
  retryAfterMs(tenantId: string): number;
  /** Whether the tenant has spent its budget (nothing taken). */
  exhausted(tenantId: string): Promise<boolean>;
  /** The tenant is over budget: how long (ms) to postpone `count` outbox rows (see TenantBudget). */
  postpone(tenantId: string, count?: number): { waitMs: number; spreadMs: number; firstInWindow: boolean };
  usage(tenantId: string): Promise<BudgetUsage>;
}

export interface BudgetUsage {
  /** Follow-ups a tenant may run per minute. */
  perMinute: number;
  /** Follow-ups run in the last minute (a sliding window in one process, this minute's in Redis). */
  used: number;
  /** Follow-ups postponed because the budget was spent, in the last minute. */
  deferred: number;
  /** When the last one was postponed, ISO 8601. */
  lastDeferredAt: string | null;
}

interface Bucket {
  /** When the bucket is full again ("theoretical arrival time", epoch ms): now + used * interval. */
  fullAt: number;
  deferred: number;
  deferredSince: number;
  lastDeferredAt: number | null;
  warnedAt: number;
}

const MINUTE = 60_000;

/**
 * A budget counted in this process: a token bucket per tenant. By real time unless told otherwise
 * (a follow-up budget must not refill when a test clock moves hours ahead to fire timers).
 */
export class TenantBudget implements Budget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perMinute: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  async take(tenantId: string): Promise<boolean> {
    if (this.perMinute <= 0) return true;
    const now = this.wallClock();
    const bucket = this.bucket(tenantId, now);
    const interval = MINUTE / this.perMinute;
    const fullAt = Math.max(bucket.fullAt, now);
    if (fullAt + interval - now > MINUTE) return false;
    bucket.fullAt = fullAt + interval;
    return true;
  }

  /**
   * The tenant is over budget: how long (ms) to postpone `count` rows. Spread over a minute, or
   * longer the more rows were postponed lately, so that a growing backlog comes back no faster
   * than the budget can take it, rather than all at once.
   */
  postpone(tenantId: string, count = 1): { waitMs: number; spreadMs: number; firstInWindow: boolean } {
    const now = this.wallClock();
    const bucket = this.bucket(tenantId, now);
    const firstInWindow = now - bucket.warnedAt > MINUTE;
    if (firstInWindow) bucket.warnedAt = now;
    bucket.deferred += count;
    bucket.lastDeferredAt = now;
    const interval = MINUTE / Math.max(1, this.perMinute);
    // The first free slot in the bucket, then as many slots as rows already waiting for one.
    const waitMs = Math.max(interval, bucket.fullAt - now - MINUTE + interval);
    const spreadMs = Math.max(MINUTE, (bucket.deferred / Math.max(1, this.perMinute)) * MINUTE);
    return { waitMs, spreadMs, firstInWindow };
  }

  retryAfterMs(tenantId: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.wallClock();
    const bucket = this.buckets.get(tenantId);
    return bucket === undefined ? 0 : Math.max(0, bucket.fullAt + MINUTE / this.perMinute - now - MINUTE);
  }

  async exhausted(tenantId: string): Promise<boolean> {
    if (this.perMinute <= 0) return false;
    const now = this.wallClock();
    const bucket = this.buckets.get(tenantId);
    return bucket !== undefined && bucket.fullAt + MINUTE / this.perMinute - now > MINUTE;
  }

  async usage(tenantId: string): Promise<BudgetUsage> {
    const now = this.wallClock();
    const bucket = this.bucket(tenantId, now);
    const used = this.perMinute > 0 ? Math.round((Math.max(0, bucket.fullAt - now) / MINUTE) * this.perMinute) : 0;
    return {
      perMinute: this.perMinute,
      used,
      deferred: bucket.deferred,
      lastDeferredAt: bucket.lastDeferredAt === null ? null : new Date(bucket.lastDeferredAt).toISOString(),
    };
  }

  private bucket(tenantId: string, now: number): Bucket {
    let bucket = this.buckets.get(tenantId);
    if (!bucket) {
      bucket = { fullAt: now, deferred: 0, deferredSince: now, lastDeferredAt: null, warnedAt: -Infinity };
      this.buckets.set(tenantId, bucket);
    }
    // The deferral count is per minute: it says how far to spread the rows postponed next.
    if (now - bucket.deferredSince > MINUTE) {
      bucket.deferred = 0;
      bucket.deferredSince = now;
    }
    return bucket;
  }
}
