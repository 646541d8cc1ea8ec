// Jobs for external workers (service tasks whose sl:type is no built-in connector): activation
// locks jobs with SELECT ... FOR UPDATE SKIP LOCKED and a lock that expires; completing,
// failing or throwing an error is an engine step on the job's instance.
import type { Command, Variables } from '@serviceloom/engine';
import type { Principal } from '../platform/auth/tokens.ts';
import { literal } from '../platform/db/literal.ts';
import type { JobRow } from '../platform/db/rows.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { conflict } from '../platform/errors.ts';
import type { StepRunner } from './steps.ts';

export interface ActivatedJob {
  id: string;
  type: string;
  processInstanceId: string;
  elementId: string;
  variables: Variables;
  retries: number;
}

export interface JobView {
  id: string;
  type: string;
  status: string;
  retries: number;
  processInstanceId: string;
  elementId: string;
}

const jobView = (j: JobRow): JobView => ({
  id: j.id,
  type: j.type,
  status: j.status,
  retries: j.retries,
  processInstanceId: j.instance_id,
  elementId: j.element_id,
});

export class JobService {
  constructor(
    private readonly transactions: Transactions,
    private readonly steps: StepRunner,
  ) {}

  activate(p: Principal, type: string, maxJobs: number, lockMs: number): Promise<ActivatedJob[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const free: Array<{ id: string }> = await work
        .tx('jobs')
        .select('id')
        .where({ tenant_id: p.tenantId, type })
        .andWhere((w) =>
          w
            .where({ status: literal(work.tx, 'activatable') })
            .orWhere((x) => x.where({ status: literal(work.tx, 'locked') }).andWhere('lock_expires_at', '<=', work.at)),
        )
        .orderBy('created_at')
        .orderBy('id')
        .limit(maxJobs)
        .forUpdate()
        .skipLocked();
      if (free.length === 0) return [];
      const ids = free.map((r) => r.id);
      await work
        .tx('jobs')
        .whereIn('id', ids)
        .update({
          status: 'locked',
          lock_owner: p.userId,
          lock_expires_at: new Date(work.now + lockMs).toISOString(),
          updated_at: work.at,
        });
      const rows: JobRow[] = await work.tx('jobs').whereIn('id', ids).orderBy('created_at').orderBy('id');
      return rows.map((j) => ({
        id: j.id,
        type: j.type,
        processInstanceId: j.instance_id,
        elementId: j.element_id,
        variables: j.variables ?? {},
        retries: j.retries,
      }));
    });
  }

  complete(p: Principal, id: string, variables?: Variables): Promise<JobView> {
    // A late completion of a failed job also resolves its fault (the work did get done).
    return this.command(p, id, ['activatable', 'locked', 'failed'], {
      type: 'completeJob',
      jobId: id,
      ...(variables ? { variables } : {}),
    });
  }

  /** With a backoff, the job is held (locked to nobody) until it passes, then offered again. */
  fail(p: Principal, id: string, retries: number, message?: string, backoffMs = 0): Promise<JobView> {
    return this.command(
      p,
      id,
      ['activatable', 'locked'],
      { type: 'failJob', jobId: id, retries, ...(message ? { message } : {}) },
      async (work) => {
        if (backoffMs <= 0) return;
        await work
          .tx('jobs')
          .where({ id, status: 'activatable' })
          .update({ status: 'locked', lock_owner: null, lock_expires_at: new Date(work.now + backoffMs).toISOString() });
      },
    );
  }

  throwError(p: Principal, id: string, errorCode: string, message?: string): Promise<JobView> {
    return this.command(p, id, ['activatable', 'locked'], { type: 'throwError', jobId: id, errorCode, ...(message ? { message } : {}) });
  }

  private async command(
    p: Principal,
    id: string,
    workable: JobRow['status'][],
    command: Command,
    after?: (work: Work) => Promise<void>,
  ): Promise<JobView> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      // The job's instance locked and the job read under the lock, in one round trip.
      await this.steps.step<JobRow>(work, p.tenantId, { job: id }, command, {
        actor: p.username,
        check: (_instance, job) => assertWorkable(job, p, work.now, workable),
      });
      await after?.(work);
      return jobView(await work.tx('jobs').where({ id }).first());
    });
  }
}

/** Under the instance lock: the job is still open, and not locked to another worker. */
function assertWorkable(job: JobRow, p: Principal, now: number, workable: JobRow['status'][]): void {
  if (!workable.includes(job.status)) throw conflict('JOB_NOT_ACTIVE', `job "${job.id}" is ${job.status}`);
  const lockedToOther =
    job.status === 'locked' && job.lock_owner !== p.userId && job.lock_expires_at && new Date(job.lock_expires_at).getTime() > now;
  if (lockedToOther)
    throw conflict(
      'JOB_LOCKED',
      `job "${job.id}" is locked by another worker until ${new Date(job.lock_expires_at as Date).toISOString()}`,
    );
}
