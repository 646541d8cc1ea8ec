// Messages and signals, from the API or thrown by instances. Subscriptions are found through
// their indexed tables; the instance row lock then decides whether a subscription still holds.
import { EngineError, type Variables } from '@serviceloom/engine';
import type { Statement } from '../platform/db/batch.ts';
import type { Queryable } from '../platform/db/connect.ts';
import type { Transactions, Work } from '../platform/db/transactions.ts';
import { DomainError } from '../platform/errors.ts';
import { startEventsFor } from './start-events.ts';
import type { StepRunner } from './steps.ts';

export interface Message {
  name: string;
  correlationKey?: string;
  variables?: Variables;
}

/** Raised under the instance lock when what we came for is gone; nothing was written. */
class Gone extends Error {}

/** What a follow-up may meet because the world moved on: the instance ended, the wait closed. */
export function isSettled(e: unknown): boolean {
  if (e instanceof Gone) return true;
  if (e instanceof EngineError) return e.code === 'NOT_FOUND' || e.code === 'INSTANCE_NOT_ACTIVE';
  return e instanceof DomainError && (e.kind === 'not_found' || e.kind === 'conflict');
}

export class EventService {
  constructor(
    private readonly transactions: Transactions,
    private readonly steps: StepRunner,
  ) {}

  /** POST /messages: one transaction; returns catches reached plus instances started. */
  correlate(tenantId: string, message: Message, actor?: string): Promise<number> {
    return this.transactions.withTenant(tenantId, (work) => this.correlateIn(work, tenantId, message, actor));
  }

  /** A message reaches the oldest matching catch (a keyless message only keyless catches) and starts every process with that message start. */
  async correlateIn(work: Work, tenantId: string, message: Message, actor?: string): Promise<number> {
    let correlated = 0;
    for (let attempt = 0; attempt < 10; attempt++) {
      const q = work.tx('message_subscriptions').select('id', 'instance_id').where({ tenant_id: tenantId, name: message.name });
      if (message.correlationKey === undefined) q.whereNull('correlation_key');
      else q.andWhere({ correlation_key: message.correlationKey });
      const sub: { id: string; instance_id: string } | undefined = await q.orderBy('seq').first();
      if (!sub) break;
      try {
        await this.steps.step(
          work,
          tenantId,
          sub.instance_id,
          { type: 'deliverMessage', subscriptionId: sub.id, ...(message.variables ? { variables: message.variables } : {}) },
          {
            ...(actor ? { actor } : {}),
            check: async () => {
              if (!(await work.tx('message_subscriptions').where({ id: sub.id }).first())) throw new Gone();
            },
          },
        );
        correlated++;
        break;
      } catch (e) {
        // Another step closed the subscription before we got the lock: try the next oldest.
        if (!(e instanceof Gone)) throw e;
      }
    }
    for (const start of await startEventsFor(work, tenantId, 'message', message.name)) {
      await this.startAt(work, start.definition_id, start.element_id, message.variables, actor);
      correlated++;
    }
    return correlated;
  }

  /** Names of the messages an instance waits for now, once each. */
  async awaited(q: Queryable, tenantId: string, instanceId: string): Promise<string[]> {
    const rows: Array<{ name: string }> = await q('message_subscriptions')
      .distinct('name')
      .where({ tenant_id: tenantId, instance_id: instanceId })
      .orderBy('name');
    return rows.map((r) => r.name);
  }

  /** Delivers a message to one instance's oldest catch of that name; false if it has none. */
  async sendTo(
    work: Work,
    instanceId: string,
    name: string,
    options: { variables?: Variables; actor?: string; also?: () => Statement[] } = {},
  ): Promise<boolean> {
    const tenantId = work.tenantId as string;
    const sub: { id: string } | undefined = await work
      .tx('message_subscriptions')
      .select('id')
      .where({ tenant_id: tenantId, instance_id: instanceId, name })
      .orderBy('seq')
      .first();
    if (!sub) return false;
    try {
      await this.steps.step(
        work,
        tenantId,
        instanceId,
        { type: 'deliverMessage', subscriptionId: sub.id, ...(options.variables ? { variables: options.variables } : {}) },
        {
          ...(options.actor ? { actor: options.actor } : {}),
          ...(options.also ? { also: options.also } : {}),
          check: async () => {
            if (!(await work.tx('message_subscriptions').where({ id: sub.id }).first())) throw new Gone();
          },
        },
      );
    } catch (e) {
      // A timer of the same instance closed the wait first.
      if (e instanceof Gone) return false;
      throw e;
    }
    return true;
  }

  /** POST /signals: each subscribed instance in its own transaction, oldest subscriber first. */
  async broadcast(tenantId: string, name: string, variables?: Variables, actor?: string): Promise<number> {
    let delivered = 0;
    const subscribed = await this.transactions.read(tenantId, (tx) => this.subscribedInstances(tx, tenantId, name));
    for (const instanceId of subscribed) {
      delivered += await this.transactions.withTenant(tenantId, (work) =>
        this.signalInstance(work, tenantId, instanceId, name, variables, actor),
      );
    }
    delivered += await this.transactions.withTenant(tenantId, (work) => this.startBySignal(work, tenantId, name, variables, actor));
    return delivered;
  }

  async subscribedInstances(q: Queryable, tenantId: string, name: string): Promise<string[]> {
    const rows = (await q('signal_subscriptions')
      .select('instance_id')
      .min('seq as first')
      .where({ tenant_id: tenantId, name })
      .groupBy('instance_id')
      .orderBy('first')) as Array<{ instance_id: string }>;
    return rows.map((r) => r.instance_id);
  }

  /** Delivers a signal to one instance; returns how many of its catches it reached. */
  async signalInstance(
    work: Work,
    tenantId: string,
    instanceId: string,
    name: string,
    variables?: Variables,
    actor?: string,
  ): Promise<number> {
    let catches = 0;
    try {
      await this.steps.step(
        work,
        tenantId,
        instanceId,
        { type: 'signal', name, ...(variables ? { variables } : {}) },
        {
          ...(actor ? { actor } : {}),
          check: async () => {
            const [{ n }] = await work.tx('signal_subscriptions').count('* as n').where({ instance_id: instanceId, name });
            catches = Number(n);
            if (catches === 0) throw new Gone();
          },
        },
      );
      return catches;
    } catch (e) {
      if (isSettled(e)) return 0;
      throw e;
    }
  }

  async startBySignal(work: Work, tenantId: string, name: string, variables?: Variables, actor?: string): Promise<number> {
    const starts = await startEventsFor(work, tenantId, 'signal', name);
    for (const start of starts) await this.startAt(work, start.definition_id, start.element_id, variables, actor);
    return starts.length;
  }

  private async startAt(work: Work, definitionId: string, startEventId: string, variables?: Variables, actor?: string): Promise<void> {
    const definition = await work.tx('definitions').where({ id: definitionId }).first();
    await this.steps.start(work, definition, { startEventId, ...(variables ? { variables } : {}), ...(actor ? { actor } : {}) });
  }
}
