// What each outbox row does when dispatched. Every handler runs inside the transaction that marks
// its row dispatched, so a follow-up step and "done" commit together: exactly once per row.
import { type Command, EngineError, nextSchedule } from '@serviceloom/engine';
import type { InstanceRow, OutboxRow, TimerRow } from '../platform/db/rows.ts';
import type { Work } from '../platform/db/transactions.ts';
import type { OutboxKind, OutboxPayloads } from '../platform/outbox/messages.ts';
import type { ModuleEvents } from '../platform/outbox/module-events.ts';
import type { FollowUpHandler } from '../platform/outbox/processor.ts';
import { runCancelChunk } from './cancellation.ts';
import type { DefinitionService } from './definitions.ts';
import { type EventService, isSettled } from './events.ts';
import { scheduleStartTimer } from './start-events.ts';
import type { StepRunner } from './steps.ts';

type Handlers = { [K in OutboxKind]: (work: Work, row: OutboxRow, payload: OutboxPayloads[K]) => Promise<void> };

export interface FollowUpLimits {
  /** Instances a chain of call activities may nest (the root counts as 1). */
  callDepth: number;
}

export const DEFAULT_CALL_DEPTH = 16;

/** Runs each outbox row's follow-up (the platform's outbox processor calls it). */
export class FollowUps implements FollowUpHandler {
  readonly isSettled = isSettled;

  constructor(
    private readonly definitions: DefinitionService,
    private readonly steps: StepRunner,
    private readonly events: EventService,
    private readonly limits: FollowUpLimits = { callDepth: DEFAULT_CALL_DEPTH },
    private readonly moduleEvents?: ModuleEvents,
  ) {}

  handle(work: Work, row: OutboxRow): Promise<void> {
    const handler = this.handlers[row.kind as OutboxKind] as ((w: Work, r: OutboxRow, p: unknown) => Promise<void>) | undefined;
    if (!handler) throw new Error(`unknown outbox kind "${row.kind}"`);
    return handler(work, row, row.payload);
  }

  private readonly handlers: Handlers = {
    // External workers fetch jobs from the jobs table; built-in connectors will run here.
    job: async () => {},

    timer: async (work, row, { timerId }) => {
      const timer: TimerRow | undefined = await work.tx('timers').where({ id: timerId }).first();
      if (!timer || timer.status !== 'scheduled') return;
      if (timer.instance_id) return this.fireInstanceTimer(work, row.tenant_id, timer);
      return this.fireStartTimer(work, timer);
    },

    'call.start': async (work, row, call) => {
      // Idempotent: parent_call_id is unique, and a second dispatch finds the child.
      if (await work.tx('instances').where({ parent_call_id: call.callId }).first()) return;
      // Locked: a cancel of the caller either comes first (no child) or sees the child (and cancels it).
      const parent: InstanceRow | undefined = await work.tx('instances').where({ id: call.parentInstanceId }).forUpdate().first();
      if (!parent || parent.status !== 'active') return;
      const definition = await this.definitions.find(work.tx, row.tenant_id, call.processId, call.version);
      const failCall = (errorCode: string, message: string) =>
        this.steps.step(work, row.tenant_id, parent.id, { type: 'childFailed', callId: call.callId, errorCode, message });
      if (!definition) {
        const which = call.version === undefined ? '' : ` version ${call.version}`;
        return void (await failCall('CALLED_ELEMENT_NOT_FOUND', `no deployed process "${call.processId}"${which} to call`));
      }
      // A process that calls itself (directly or round a ring) would nest without end: the error
      // goes up the chain of callers and faults the outermost call activity, naming the limit.
      const { callDepth } = this.limits;
      if ((await depthOf(work, parent.id, callDepth)) >= callDepth) {
        const message = `calling "${call.processId}" would nest call activities deeper than the limit of ${callDepth} instances`;
        return void (await failCall('CALL_DEPTH_EXCEEDED', message));
      }
      try {
        await this.steps.start(work, definition, {
          variables: call.variables,
          ...(call.businessKey !== undefined ? { businessKey: call.businessKey } : {}),
          parent: { instanceId: parent.id, callId: call.callId, rootInstanceId: parent.root_instance_id },
        });
      } catch (e) {
        // The child refused to start (no none start event, a runaway loop): the caller handles it.
        if (!(e instanceof EngineError)) throw e;
        await failCall('CALL_FAILED', (e as Error).message);
      }
    },

    'call.ended': async (work, row, ended) => {
      let command: Command;
      if (ended.error) command = { type: 'childFailed', callId: ended.callId, errorCode: ended.error.code, message: ended.error.message };
      else if (ended.status === 'cancelled')
        command = { type: 'childFailed', callId: ended.callId, errorCode: 'CHILD_CANCELLED', message: 'the called instance was cancelled' };
      // A terminate end event ends the child early but successfully.
      else command = { type: 'childCompleted', callId: ended.callId, variables: ended.variables };
      await this.steps.step(work, row.tenant_id, ended.parentInstanceId, command);
    },

    'call.cancel': async (work, row, { callId }) => {
      const child: InstanceRow | undefined = await work.tx('instances').where({ parent_call_id: callId }).first();
      if (!child || child.status !== 'active') return;
      await this.steps.step(work, row.tenant_id, child.id, { type: 'cancel' });
    },

    message: async (work, row, message) => {
      await this.events.correlateIn(work, row.tenant_id, message);
    },

    // Fan out: each subscribed instance gets its own row, so each delivery is one step of its own.
    signal: async (work, row, { name, variables }) => {
      const instances = await this.events.subscribedInstances(work.tx, row.tenant_id, name);
      await work.enqueue(
        instances.map((instanceId) => ({
          tenantId: row.tenant_id,
          instanceId,
          kind: 'signal.deliver' as const,
          payload: { instanceId, name, variables },
        })),
      );
      await this.events.startBySignal(work, row.tenant_id, name, variables);
    },

    'signal.deliver': async (work, row, { instanceId, name, variables }) => {
      await this.events.signalInstance(work, row.tenant_id, instanceId, name, variables);
    },

    'cancel.batch': (work, _row, { batchId }) => runCancelChunk(work, this.steps, batchId),

    'module.event': (work, row, payload) => this.moduleEvents?.handle(work, row.tenant_id, payload, row.attempts) ?? Promise.resolve(),
  };

  private async fireInstanceTimer(work: Work, tenantId: string, timer: TimerRow): Promise<void> {
    const check = async () => {
      const now: TimerRow = await work.tx('timers').where({ id: timer.id }).first();
      if (now.status !== 'scheduled') throw new TimerGone();
    };
    let status: TimerRow['status'] = 'fired';
    try {
      await this.steps.step(work, tenantId, timer.instance_id as string, { type: 'timerFired', timerId: timer.id }, { check });
    } catch (e) {
      if (e instanceof TimerGone) return;
      // The instance ended or no longer waits for this timer: it will never fire.
      if (!isSettled(e)) throw e;
      status = 'cancelled';
    }
    await work.tx('timers').where({ id: timer.id, status: 'scheduled' }).update({ status });
  }

  /** A timer start event: start an instance, and schedule the cycle's next firing. */
  private async fireStartTimer(work: Work, timer: TimerRow): Promise<void> {
    // Suspended: the timer stays scheduled and activating enqueues it again (definitions.ts).
    if (!timer.definition_id || !(await this.definitions.lockStartable(work.tx, timer.definition_id))) return;
    const locked: TimerRow | undefined = await work.tx('timers').where({ id: timer.id, status: 'scheduled' }).forUpdate().first();
    if (!locked || !locked.definition_id) return;
    await work.tx('timers').where({ id: timer.id }).update({ status: 'fired' });
    const definition = await work.tx('definitions').where({ id: locked.definition_id }).first();
    await this.steps.start(work, definition, { startEventId: locked.element_id });
    // From now: a cycle that fell behind (a start in the past, a server that was down) fires once
    // for all it missed, then keeps its interval, instead of starting an instance per missed period.
    const next = nextSchedule(
      {
        dueAt: new Date(locked.due_at).toISOString(),
        ...(locked.repeat !== null ? { repeat: locked.repeat } : {}),
        ...(locked.every !== null ? { every: locked.every } : {}),
      },
      work.now,
    );
    if (next) await scheduleStartTimer(work, locked.tenant_id, locked.definition_id, locked.element_id, next);
  }
}

class TimerGone extends Error {}

/** How deep an instance is in its chain of callers (a root is 1), counting no further than `limit`. */
async function depthOf(work: Work, instanceId: string, limit: number): Promise<number> {
  const result = await work.tx.raw(
    `WITH RECURSIVE chain(id, parent, depth) AS (
       SELECT id, parent_instance_id, 1 FROM instances WHERE id = ?
       UNION ALL
       SELECT i.id, i.parent_instance_id, c.depth + 1 FROM instances i JOIN chain c ON i.id = c.parent WHERE c.depth < ?
     ) SELECT max(depth) AS depth FROM chain`,
    [instanceId, limit],
  );
  return Number((result as { rows: Array<{ depth: number | string }> }).rows[0]?.depth ?? 1);
}
