// In-process dispatcher for a single server (no REDIS_URL): runs committed rows at once and polls
// the outbox for rows that become due later (timers, retries). Starting it catches up on whatever
// a crash or a stop left behind, once the server listens: start() returns at once and the catch-up
// runs in the background, row by row, within each tenant's budget, while requests are served.
import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../clock.ts';
import type { OutboxDispatcher } from './dispatcher.ts';
import type { OutboxMessage } from './messages.ts';
import type { OutboxProcessor } from './processor.ts';

export class EmbeddedDispatcher implements OutboxDispatcher {
  private poller: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(
    private readonly processor: OutboxProcessor,
    private readonly clock: Clock,
    private readonly pollIntervalMs: number,
    private readonly log: FastifyBaseLogger,
  ) {}

  async start(): Promise<void> {
    this.stopped = false;
    if (this.pollIntervalMs > 0) {
      this.poller = setInterval(() => void this.kick(), this.pollIntervalMs);
      this.poller.unref();
    }
    // After the current turn of the event loop: start() runs before listen(), which comes first.
    setTimeout(() => void this.kick(), 0).unref();
  }

  committed(rows: readonly OutboxMessage[]): void {
    const now = this.clock.now();
    if (!this.stopped && rows.some((r) => r.availableAt <= now)) setImmediate(() => void this.kick());
  }

  async drain(): Promise<void> {
    // Whatever is running may have read the due list before the clock moved: run once more after it.
    await this.kick();
    await this.kick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.poller) clearInterval(this.poller);
    await this.running;
  }

  /** One drain at a time; a kick during a drain asks for another pass when it ends. */
  private kick(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.processor.drain(undefined, () => this.stopped);
        } while (this.again && !this.stopped);
      } catch (e) {
        this.log.error({ err: e }, 'outbox dispatch failed');
      } finally {
        this.running = undefined;
      }
    })();
    return this.running;
  }
}
