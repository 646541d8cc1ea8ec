// A tenant's budget shared by every server and worker process of an installation (REDIS_URL): a
// counter per tenant and minute in Redis (a fixed window, expiring after the next one). One Lua
// script reads and increments it, so that two processes never both take the last unit. While
// Redis does not answer, each process counts in its own TenantBudget (budget.ts), logged once per
// outage: an outage never stops the server, it only makes the budget per process meanwhile.
import type { FastifyBaseLogger } from 'fastify';
import type { Redis } from 'ioredis';
import type { Budget, BudgetUsage, TenantBudget } from './budget.ts';

const MINUTE = 60_000;

/** Takes one unit unless the window's count reached the limit: the new count, or -1 when refused. */
const TAKE = `local used = tonumber(redis.call('GET', KEYS[1]) or '0')
if used >= tonumber(ARGV[1]) then return -1 end
used = redis.call('INCR', KEYS[1])
if used == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return used`;

export class RedisBudget implements Budget {
  /** Whether Redis answered last time; false: counting in `local` until it does again. */
  private shared = true;

  constructor(
    private readonly redis: Pick<Redis, 'eval' | 'get'>,
    /** Counts while Redis does not answer; its limit is this budget's. */
    private readonly local: TenantBudget,
    /** Names the budget's keys: `<prefix>:<tenant>:<minute>`. */
    private readonly keyPrefix: string,
    private readonly log: Pick<FastifyBaseLogger, 'warn' | 'info'>,
    private readonly wallClock: () => number = Date.now,
  ) {}

  get perMinute(): number {
    return this.local.perMinute;
  }

  async take(tenantId: string): Promise<boolean> {
    if (this.perMinute <= 0) return true;
    try {
      const used = Number(await this.redis.eval(TAKE, 1, this.key(tenantId), this.perMinute, 2 * MINUTE));
      this.answered();
      return used >= 0;
    } catch (e) {
      this.unanswered(e);
      return this.local.take(tenantId);
    }
  }

  retryAfterMs(tenantId: string): number {
    return this.shared ? MINUTE - (this.wallClock() % MINUTE) : this.local.retryAfterMs(tenantId);
  }

  async exhausted(tenantId: string): Promise<boolean> {
    if (this.perMinute <= 0) return false;
    try {
      const used = await this.spent(tenantId);
      this.answered();
      return used >= this.perMinute;
    } catch (e) {
      this.unanswered(e);
      return this.local.exhausted(tenantId);
    }
  }

  postpone(tenantId: string, count = 1): { waitMs: number; spreadMs: number; firstInWindow: boolean } {
    const local = this.local.postpone(tenantId, count);
    // The count is in Redis, the local bucket knows nothing of it: nothing runs before the next window.
    return this.shared ? { ...local, waitMs: Math.max(local.waitMs, this.retryAfterMs(tenantId)) } : local;
  }

  /** `used` is the whole installation's this minute; what was postponed, this process's. */
  async usage(tenantId: string): Promise<BudgetUsage> {
    const local = await this.local.usage(tenantId);
    try {
      const used = await this.spent(tenantId);
      this.answered();
      return { ...local, used };
    } catch (e) {
      this.unanswered(e);
      return local;
    }
  }

  private async spent(tenantId: string): Promise<number> {
    return Number((await this.redis.get(this.key(tenantId))) ?? 0);
  }

  private key(tenantId: string): string {
    return `${this.keyPrefix}:${tenantId}:${Math.floor(this.wallClock() / MINUTE)}`;
  }

  private answered(): void {
    if (this.shared) return;
    this.shared = true;
    this.log.info({ budget: this.keyPrefix }, 'Redis answers again: tenant budgets are shared by every process again');
  }

  private unanswered(e: unknown): void {
    if (!this.shared) return;
    this.shared = false;
    this.log.warn({ err: e, budget: this.keyPrefix }, 'Redis does not answer: each process counts tenant budgets on its own until it does');
  }
}
