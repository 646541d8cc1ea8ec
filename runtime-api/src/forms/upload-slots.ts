// Uploads in flight, counted per user and per tenant in this server process, so that one user (or
// tenant) cannot hold every connection and the database with parallel uploads. Counted in memory:
// a crashed upload frees its slot with the process, never blocking its user for good.
import { DomainError } from '../platform/errors.ts';

export interface UploadSlot {
  release(): void;
}

export class UploadSlots {
  private readonly byUser = new Map<string, number>();
  private readonly byTenant = new Map<string, number>();

  constructor(
    readonly perUser: number,
    readonly perTenant: number,
  ) {}

  /** A slot for one upload, or 429 UPLOAD_CONCURRENCY if the user or the tenant has none left. */
  acquire(tenantId: string, userId: string): UploadSlot {
    const userKey = `${tenantId}/${userId}`;
    if ((this.byUser.get(userKey) ?? 0) >= this.perUser) {
      throw new DomainError(
        'rate_limited',
        'UPLOAD_CONCURRENCY',
        `you have ${this.perUser} uploads in progress already; wait for one to finish`,
      );
    }
    if ((this.byTenant.get(tenantId) ?? 0) >= this.perTenant) {
      throw new DomainError(
        'rate_limited',
        'UPLOAD_CONCURRENCY',
        `your tenant has ${this.perTenant} uploads in progress already; wait for one to finish`,
      );
    }
    add(this.byUser, userKey, 1);
    add(this.byTenant, tenantId, 1);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        add(this.byUser, userKey, -1);
        add(this.byTenant, tenantId, -1);
      },
    };
  }
}

function add(counts: Map<string, number>, key: string, delta: number): void {
  const n = (counts.get(key) ?? 0) + delta;
  if (n > 0) counts.set(key, n);
  else counts.delete(key);
}
