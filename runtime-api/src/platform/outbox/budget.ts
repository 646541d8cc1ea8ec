// Each tenant's budget of outbox follow-ups (instance starts by timers, signals, messages and call
// activities, and the steps they cause) per minute. A process that starts or steps itself without
// end (a PT0S timer loop, a signal that starts its own process, a cycle that fell far behind)
// spends its tenant's budget and then waits: its rows are rescheduled, never dropped, and the
// server's time goes to other tenants and to HTTP requests.
//
// Counted in this process, by real time (a test clock moved hours ahead should not refill it): on
// BullMQ with several processes, each process allows a tenant its own budget.

export interface BudgetUsage {
  /** Follow-ups a tenant may run per minute. */
  perMinute: number;
  /** Follow-ups run in the last minute (the window is a sliding one: a token bucket). */
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

export class TenantBudget {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly perMinute: number,
    private readonly wallClock: () => number = Date.now,
  ) {}

  /** Whether the tenant may run one more follow-up now; takes it from the budget if so. 0 = unlimited. */
  take(tenantId: string): boolean {
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

  /** Whether the tenant has spent its budget (nothing taken). */
  exhausted(tenantId: string): boolean {
    if (this.perMinute <= 0) return false;
    const now = this.wallClock();
    const bucket = this.buckets.get(tenantId);
    return bucket !== undefined && bucket.fullAt + MINUTE / this.perMinute - now > MINUTE;
  }

  usage(tenantId: string): BudgetUsage {
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
