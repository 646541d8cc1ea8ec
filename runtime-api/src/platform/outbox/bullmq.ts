// The outbox on BullMQ (REDIS_URL set): every committed row becomes a job whose id is the row's
// id, so enqueuing a row twice is harmless; timers are delayed jobs due at available_at; a failed
// follow-up is retried with exponential backoff. Workers, in this process or in `npm run worker`
// processes, call OutboxProcessor.process(id), which does a row's follow-up exactly once.
//
// The database stays the record: Redis may lose its data, and a crash may fall between commit and
// enqueue. So start() enqueues every undispatched row, and a sweeper re-enqueues rows that are
// overdue (a job whose retries ran out is removed from Redis and comes back this way, no sooner
// than the row's own backoff in available_at).
//
// Redis away at start (or later) does not stop the server: start() connects in the background,
// `unavailable()` names Redis for /health/ready meanwhile, rows committed meanwhile wait in the
// database, and every (re)connection enqueues all undispatched rows again.
import { type Job, Queue, Worker } from 'bullmq';
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { OutboxDispatcher } from './dispatcher.ts';
import type { OutboxMessage } from './messages.ts';
import type { OutboxProcessor } from './processor.ts';

export interface BullmqOptions {
  redisUrl: string;
  /** Namespaces the queues' keys in Redis (BullMQ's `prefix`). */
  prefix: string;
  /** Run workers in this process (a server with SERVICELOOM_WORKERS=0 only enqueues). */
  workers: boolean;
  /** Jobs each queue's worker runs at once. */
  concurrency: number;
  /** How often to re-enqueue overdue rows; 0: only at start. */
  sweepIntervalMs: number;
}

/** The queues: timers apart, so that a flood of follow-ups never holds a due timer back. */
export const QUEUES = ['timers', 'follow-ups'] as const;
export type QueueName = (typeof QUEUES)[number];

export const queueOf = (kind: string): QueueName => (kind === 'timer' ? 'timers' : 'follow-ups');
/** BullMQ refuses integer custom ids: the outbox id, spelt so that BullMQ takes it. */
export const jobIdOf = (outboxId: number) => `outbox-${outboxId}`;

export interface OutboxJobData {
  outboxId: number;
}

/** Retries for a follow-up that failed (the database away, a bug): 1 s, 2 s, 4 s, ... */
const JOB_OPTIONS = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1000 },
  // The outbox row is the record (attempts, last_error); Redis keeps nothing done. A job whose
  // retries ran out goes too, so that the sweeper can enqueue its row again.
  removeOnComplete: true,
  removeOnFail: true,
} as const;

const BATCH = 500;

/** How long start() waits for Redis before the server goes on without it (degraded). */
const START_GRACE_MS = 3_000;

type RedisClient = Awaited<ReturnType<Queue['getBackend']>['client']>;

/** The row is held by another transaction (an in-process drain): try again shortly. */
class RowBusy extends Error {}

export class BullmqDispatcher implements OutboxDispatcher {
  private readonly queues: Record<QueueName, Queue<OutboxJobData>>;
  private workers: Worker<OutboxJobData>[] = [];
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly adding = new Set<Promise<unknown>>();
  private stopped = true;
  /** The queues' connections once Redis first answered: their status says whether it still does. */
  private clients: RedisClient[] = [];
  private bringingUp: Promise<void> | undefined;

  constructor(
    private readonly processor: OutboxProcessor,
    private readonly clock: Clock,
    private readonly options: BullmqOptions,
    private readonly log: FastifyBaseLogger,
  ) {
    const connection = { url: options.redisUrl, enableOfflineQueue: false };
    this.queues = {
      timers: new Queue<OutboxJobData>('timers', { connection, prefix: options.prefix }),
      'follow-ups': new Queue<OutboxJobData>('follow-ups', { connection, prefix: options.prefix }),
    };
    for (const queue of Object.values(this.queues)) queue.on('error', (err) => this.log.warn({ err }, 'BullMQ queue error'));
  }

  async start(): Promise<void> {
    this.stopped = false;
    const up = this.bringUp();
    this.bringingUp = up.catch((err) => {
      if (!this.stopped) this.log.error({ err }, 'BullMQ did not start; outbox rows wait in the database');
    });
    // Normally Redis answers at once; if not, the server serves without it and connects later.
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<'waiting'>((resolve) => {
      timer = setTimeout(() => resolve('waiting'), START_GRACE_MS);
    });
    const outcome = await Promise.race([this.bringingUp.then(() => 'up' as const), grace]);
    clearTimeout(timer);
    if (outcome === 'waiting') this.log.warn('Redis is unreachable: serving degraded; committed outbox rows run once it is back');
  }

  /** What is missing for the outbox to run: ['redis'] while Redis does not answer. */
  unavailable(): string[] {
    return this.clients.length > 0 && this.clients.every((c) => c.status === 'ready') ? [] : ['redis'];
  }

  /** Waits for Redis (ioredis retries on its own), then starts workers, enqueues what is pending and sweeps. */
  private async bringUp(): Promise<void> {
    await Promise.all(Object.values(this.queues).map((q) => q.waitUntilReady()));
    if (this.stopped) return;
    this.clients = await Promise.all(Object.values(this.queues).map((q) => q.getBackend().client));
    // Back after an outage: Redis may have restarted empty, and commits meanwhile never reached it.
    for (const client of this.clients) client.on('ready', () => void this.requeueAfterReconnect());
    if (this.options.workers) {
      this.workers = QUEUES.map((name) => {
        const worker = new Worker<OutboxJobData>(name, (job) => this.run(job), {
          connection: { url: this.options.redisUrl },
          prefix: this.options.prefix,
          concurrency: this.options.concurrency,
          // A follow-up is one short transaction. A process killed mid-job leaves it "active"
          // until its lock lapses; the stalled check hands it to a live worker within ~15 s.
          lockDuration: 10_000,
          stalledInterval: 5_000,
        });
        worker.on('error', (err) => this.log.warn({ err, queue: name }, 'BullMQ worker error'));
        return worker;
      });
      await Promise.all(this.workers.map((w) => w.waitUntilReady()));
    }
    // A crash between commit and enqueue, or a Redis that lost its data: the database knows. In
    // the background: however many rows wait, the server listens first (stop() waits for it).
    this.sweeping = this.enqueuePending()
      .then(
        (n) => void (n && this.log.info({ rows: n }, 'enqueued undispatched outbox rows')),
        (err) => this.log.warn({ err }, 'could not enqueue undispatched outbox rows; the sweeper will'),
      )
      .finally(() => {
        this.sweeping = undefined;
      });
    if (this.options.sweepIntervalMs > 0) {
      this.sweeper = setInterval(() => void this.sweep(), this.options.sweepIntervalMs);
      this.sweeper.unref();
    }
    this.log.info('outbox: BullMQ connected');
  }

  private requeueAfterReconnect(): void {
    if (this.stopped) return;
    this.log.info('Redis is back: enqueuing undispatched outbox rows');
    this.enqueuePending().catch((err) => this.log.warn({ err }, 'could not enqueue after Redis came back; the sweeper will'));
  }

  committed(rows: readonly OutboxMessage[]): void {
    if (this.stopped || rows.length === 0) return;
    const adding = this.enqueue(rows.map((r) => ({ id: r.id, kind: r.kind, availableAt: r.availableAt }))).catch((err) =>
      // Not lost: the row stays undispatched, and the sweeper (or the next start) enqueues it.
      this.log.warn({ err, rows: rows.map((r) => r.id) }, 'could not enqueue outbox rows; the sweeper will'),
    );
    this.adding.add(adding);
    void adding.finally(() => this.adding.delete(adding));
  }

  /**
   * Runs everything due, in this process: what the test clock needs, since BullMQ's delays follow
   * the real clock. Workers may hold rows meanwhile; waits until no due row is left.
   */
  async drain(): Promise<void> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      await this.processor.drain();
      if ((await this.processor.due(1)).length === 0 || Date.now() > deadline) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.sweeper) clearInterval(this.sweeper);
    // Still waiting for Redis: closing the queues below ends that wait.
    await this.sweeping;
    await Promise.allSettled([...this.adding]);
    // Waits for the jobs in progress; the rest stays in Redis for the next worker.
    await Promise.allSettled(this.workers.map((w) => w.close()));
    await Promise.allSettled(Object.values(this.queues).map((q) => q.close()));
    await this.bringingUp;
  }

  /** Adds rows as jobs: delayed until available_at; a row already queued is left as it is. */
  async enqueue(rows: ReadonlyArray<{ id: number; kind: string; availableAt: number }>): Promise<void> {
    const now = this.clock.now();
    const byQueue = new Map<QueueName, Parameters<Queue<OutboxJobData>['addBulk']>[0]>();
    for (const row of rows) {
      const name = queueOf(row.kind);
      const jobs = byQueue.get(name) ?? [];
      byQueue.set(name, jobs);
      jobs.push({
        name: row.kind,
        data: { outboxId: row.id },
        opts: { ...JOB_OPTIONS, jobId: jobIdOf(row.id), delay: Math.max(0, row.availableAt - now) },
      });
    }
    await Promise.all([...byQueue].map(([name, jobs]) => this.queues[name].addBulk(jobs)));
  }

  /** Enqueues every undispatched row, or with `dueBy` only those due by then; returns how many. */
  private async enqueuePending(dueBy?: number): Promise<number> {
    let after = 0;
    let count = 0;
    for (;;) {
      const rows = await this.processor.pending(after, BATCH, dueBy);
      if (rows.length === 0) return count;
      await this.enqueue(rows);
      count += rows.length;
      after = rows[rows.length - 1]?.id ?? after;
    }
  }

  /** Rows overdue by a sweep interval: lost on the way to Redis, or out of BullMQ retries. */
  private sweep(): Promise<void> {
    if (this.stopped || this.sweeping) return this.sweeping ?? Promise.resolve();
    this.sweeping = this.enqueuePending(this.clock.now() - this.options.sweepIntervalMs)
      .then(
        (n) => void (n && this.log.debug({ rows: n }, 'outbox sweep re-enqueued overdue rows')),
        (err) => this.log.warn({ err }, 'outbox sweep failed'),
      )
      .finally(() => {
        this.sweeping = undefined;
      });
    return this.sweeping;
  }

  /**
   * A row its tenant's budget postponed: a job of its own for its new available_at (this job ends
   * now; the row stays the record, so a second job for it is harmless).
   */
  private async requeuePostponed(id: number): Promise<void> {
    const [row] = await this.processor.pending(id - 1, 1);
    if (row?.id !== id) return;
    const name = queueOf(row.kind);
    await this.queues[name].add(
      row.kind,
      { outboxId: id },
      {
        ...JOB_OPTIONS,
        jobId: `${jobIdOf(id)}-at-${row.availableAt}`,
        delay: Math.max(0, row.availableAt - this.clock.now()),
      },
    );
  }

  /** A worker's job: one row's follow-up. Throwing makes BullMQ retry it with backoff. */
  private async run(job: Job<OutboxJobData>): Promise<string> {
    const id = job.data.outboxId;
    const outcome = await this.processor.process(id);
    if (outcome === 'failed') throw new Error(`outbox row ${id}: follow-up failed (see the row's last_error)`);
    if (outcome === 'deferred') await this.requeuePostponed(id);
    // Skipped: done already, or another transaction holds the row right now.
    if (outcome === 'skipped' && (await this.processor.isPending(id))) throw new RowBusy(`outbox row ${id} is busy`);
    return outcome;
  }
}
