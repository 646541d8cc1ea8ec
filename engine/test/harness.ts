// Test harness: drives one instance through execute() like a runtime would, keeping every
// effect and history event so tests can assert the path a token took.
import { isDeepStrictEqual } from 'node:util';
import {
  type Command,
  compile,
  type Definition,
  type Effect,
  execute,
  type HistoryEvent,
  type InstanceState,
  openWaits,
  type Variables,
  type Wait,
} from '../src/index.ts';

export const T0 = Date.parse('2026-01-05T09:00:00Z');

/** Wraps process content in a BPMN document declaring the sl namespace. */
export function bpmn(processBody: string, processId = 'p', extra = ''): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:sl="http://serviceloom.dev/schema/bpmn" id="defs" targetNamespace="http://serviceloom.dev/test">
  ${extra}
  <bpmn:process id="${processId}" isExecutable="true">
${processBody}
  </bpmn:process>
</bpmn:definitions>`;
}

/** A sequence flow, optionally with a FEEL condition. */
export function flow(id: string, source: string, target: string, condition?: string): string {
  if (condition === undefined) return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"/>`;
  const escaped = condition.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return `<bpmn:sequenceFlow id="${id}" sourceRef="${source}" targetRef="${target}"><bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">${escaped}</bpmn:conditionExpression></bpmn:sequenceFlow>`;
}

export class Run {
  readonly effects: Effect[] = [];
  readonly history: HistoryEvent[] = [];
  now = T0;
  state!: InstanceState;
  /** Effects of the last command only. */
  last: Effect[] = [];

  constructor(readonly def: Definition) {}

  static async start(xml: string, variables?: Variables, options: { startEventId?: string; businessKey?: string } = {}): Promise<Run> {
    const run = new Run(await compile(xml));
    run.do({ type: 'start', instanceId: 'pi', variables, ...options });
    return run;
  }

  /**
   * Applies one command. Every step also checks the engine's state contract: the state passed in
   * is deep-frozen (execute must not change it) and the state out survives a JSON round trip.
   */
  do(command: Command): this {
    const input = command.type === 'start' ? undefined : deepFreeze(this.state);
    const result = execute(this.def, input, command, this.now);
    assertJsonRoundTrip(result.state);
    this.state = result.state;
    this.last = result.effects;
    this.effects.push(...result.effects);
    this.history.push(...result.history);
    return this;
  }

  get status() {
    return this.state.status;
  }

  get variables(): Variables {
    return this.state.elements['0']?.vars ?? this.state.vars ?? {};
  }

  /** Flow node ids in the order they completed. */
  completed(): string[] {
    return this.history.filter((h) => h.event === 'completed' && h.elementType !== 'process').map((h) => h.elementId);
  }

  /** Sequence flows in the order they were taken. */
  taken(): string[] {
    return this.history.filter((h) => h.event === 'taken').map((h) => h.elementId);
  }

  cancelled(): string[] {
    return this.history.filter((h) => h.event === 'cancelled' && h.elementType !== 'process').map((h) => h.elementId);
  }

  private wait(kind: Wait['kind'], elementId: string): Wait {
    const w = openWaits(this.state, kind).find((x) => x.trigger === elementId);
    if (!w) throw new Error(`no open ${kind} for ${elementId}; open: ${JSON.stringify(openWaits(this.state))}`);
    return w;
  }

  hasWait(kind: Wait['kind'], elementId: string): boolean {
    return openWaits(this.state, kind).some((x) => x.trigger === elementId);
  }

  completeTask(elementId: string, variables?: Variables): this {
    return this.do({ type: 'completeTask', taskId: this.wait('task', elementId).id, variables });
  }

  completeJob(elementId: string, variables?: Variables): this {
    return this.do({ type: 'completeJob', jobId: this.wait('job', elementId).id, variables });
  }

  failJob(elementId: string, retries: number, message = 'failed'): this {
    return this.do({ type: 'failJob', jobId: this.wait('job', elementId).id, retries, message });
  }

  throwError(elementId: string, errorCode: string, message?: string): this {
    return this.do({ type: 'throwError', jobId: this.wait('job', elementId).id, errorCode, message });
  }

  message(elementId: string, variables?: Variables): this {
    return this.do({ type: 'deliverMessage', subscriptionId: this.wait('message', elementId).id, variables });
  }

  signal(name: string, variables?: Variables): this {
    return this.do({ type: 'signal', name, variables });
  }

  /** Moves the clock forward and fires, in due order, every timer due by then. */
  advance(ms: number): this {
    this.now += ms;
    for (;;) {
      if (this.state.status !== 'active') return this;
      const due = openWaits(this.state, 'timer')
        .filter((w) => Date.parse(w.dueAt as string) <= this.now)
        .sort((a, b) => Date.parse(a.dueAt as string) - Date.parse(b.dueAt as string));
      const first = due[0];
      if (!first) return this;
      this.do({ type: 'timerFired', timerId: first.id });
    }
  }

  effectsOf<K extends Effect['type']>(type: K): Extract<Effect, { type: K }>[] {
    return this.effects.filter((e): e is Extract<Effect, { type: K }> => e.type === type);
  }
}

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** Freezes a value and everything it holds, so any write to it throws. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Instance state is stored as JSON: it must come back from a round trip exactly as it was. */
export function assertJsonRoundTrip(state: InstanceState): void {
  const copy = JSON.parse(JSON.stringify(state));
  if (!isDeepStrictEqual(copy, state)) {
    throw new Error(`the state is not plain JSON: it changes in a JSON round trip\n${JSON.stringify(state, null, 1)}`);
  }
}
