// execute(definition, state, command, now) -> { state, effects, history }: the engine's one
// entry point. Pure: the state passed in is never changed, and a refused command throws an
// EngineError leaving nothing half done.
import type { Command, StartCommand } from '../commands.ts';
import type { Effect, HistoryEvent } from '../effects.ts';
import type { Definition } from '../model.ts';
import { type InstanceState, ROOT, type Variables, type Wait, type WaitKind } from '../state.ts';
import { EngineError } from './errors.ts';
import { cloneJson, isPlainObject, toJsonValue } from './json.ts';
import { Step } from './step.ts';
import { findCatch, throwError, uncaughtError } from './triggers.ts';

export interface StepResult {
  state: InstanceState;
  effects: Effect[];
  history: HistoryEvent[];
}

export function execute(definition: Definition, state: InstanceState | undefined, command: Command, now: number): StepResult {
  if (!Number.isFinite(now)) throw new EngineError('BAD_COMMAND', '`now` must be a time in milliseconds since the epoch');
  if (command.type === 'start') {
    if (state) throw new EngineError('BAD_COMMAND', 'the instance has already started');
    return finish(start(definition, command, now));
  }
  if (!state) throw new EngineError('BAD_COMMAND', `"${command.type}" needs the state of a started instance`);
  if (state.status !== 'active') throw new EngineError('INSTANCE_NOT_ACTIVE', `the instance is ${state.status}`);
  const step = new Step(definition, cloneJson(state), now);
  apply(step, command);
  return finish(step);
}

function finish(step: Step): StepResult {
  step.run();
  return { state: step.state, effects: step.effects, history: step.history };
}

function variablesOf(vars: unknown, what: string): Variables | undefined {
  if (vars === undefined || vars === null) return undefined;
  if (!isPlainObject(vars)) throw new EngineError('BAD_COMMAND', `${what} must be an object of variables`);
  return toJsonValue(vars) as Variables;
}

function start(def: Definition, command: StartCommand, now: number): Step {
  if (typeof command.instanceId !== 'string' || command.instanceId === '') {
    throw new EngineError('BAD_COMMAND', 'start needs an instanceId');
  }
  const at = new Date(now).toISOString();
  const state: InstanceState = {
    v: 1,
    id: command.instanceId,
    processId: def.processId,
    status: 'active',
    startedAt: at,
    seq: 0,
    elements: { [ROOT]: { id: ROOT, el: def.processId, vars: variablesOf(command.variables, 'variables') ?? {}, n: 0 } },
    waits: {},
    joins: {},
    faults: {},
  };
  if (command.businessKey !== undefined) state.businessKey = String(command.businessKey);
  if (command.parent) state.parent = { instanceId: command.parent.instanceId, callId: command.parent.callId };
  const startId = command.startEventId ?? def.root.start;
  const startNode = startId ? def.nodes[startId] : undefined;
  if (!startNode || startNode.type !== 'startEvent' || startNode.scope !== def.processId) {
    throw new EngineError(
      'BAD_COMMAND',
      startId
        ? `"${startId}" is not a start event of process "${def.processId}"`
        : `process "${def.processId}" has no none start event; start it by message, signal or timer`,
    );
  }
  const step = new Step(def, state, now);
  step.record(def.processId, 'process', 'started', ROOT);
  step.openEventSubprocesses(state.elements[ROOT] as NonNullable<(typeof state.elements)[string]>, def.processId);
  step.enter(startNode.id, ROOT);
  return step;
}

function waitOf(step: Step, id: unknown, kind: WaitKind, what: string): Wait {
  const w = typeof id === 'string' ? step.state.waits[id] : undefined;
  if (!w || w.kind !== kind) throw new EngineError('NOT_FOUND', `${what} "${String(id)}" is not open in this instance`);
  return w;
}

function apply(step: Step, command: Command): void {
  switch (command.type) {
    case 'completeTask': {
      const w = waitOf(step, command.taskId, 'task', 'task');
      const variables = variablesOf(command.variables, 'variables');
      step.emit({ type: 'taskCompleted', taskId: w.id });
      return step.fire(w, { variables });
    }
    case 'completeJob': {
      const w = waitOf(step, command.jobId, 'job', 'job');
      const variables = variablesOf(command.variables, 'variables');
      clearJobFault(step, w);
      step.emit({ type: 'jobCompleted', jobId: w.id });
      return step.fire(w, { variables });
    }
    case 'failJob': {
      const w = waitOf(step, command.jobId, 'job', 'job');
      const retries = Math.max(0, Math.floor(Number(command.retries) || 0));
      w.retries = retries;
      if (retries > 0)
        return step.emit({ type: 'jobRetry', jobId: w.id, retries, ...(command.message ? { message: command.message } : {}) });
      const owner = step.element(w.owner);
      if (owner && !owner.fault)
        step.raiseFault(
          owner,
          command.message ? `job failed with no retries left: ${command.message}` : 'job failed with no retries left',
          w.id,
        );
      return;
    }
    case 'throwError': {
      const w = waitOf(step, command.jobId, 'job', 'job');
      const owner = step.element(w.owner);
      if (!owner) return;
      if (typeof command.errorCode !== 'string' || command.errorCode === '') throw new EngineError('BAD_COMMAND', 'errorCode is required');
      // Only a caught error ends the job, as completed: the worker answered it, so the catch that
      // interrupts its element must not cancel it as well. An uncaught one leaves it for an operator to retry.
      if (findCatch(step, owner, 'error', command.errorCode)) {
        delete step.state.waits[w.id];
        step.emit({ type: 'jobCompleted', jobId: w.id });
        throwError(step, owner, command.errorCode, command.message);
        return;
      }
      return uncaughtError(step, owner, command.errorCode, command.message, w.id);
    }
    case 'retryFault':
      return retryFault(step, command.faultId, command.retries);
    case 'timerFired':
      return step.fire(waitOf(step, command.timerId, 'timer', 'timer'), {});
    case 'deliverMessage': {
      const w = waitOf(step, command.subscriptionId, 'message', 'message subscription');
      return step.fire(w, { variables: variablesOf(command.variables, 'variables') });
    }
    case 'signal': {
      const variables = variablesOf(command.variables, 'variables');
      const waiting = Object.values(step.state.waits).filter((w) => w.kind === 'signal' && w.name === command.name);
      // A catch fired earlier in this loop may have interrupted (and closed) a later one.
      for (const w of waiting) if (step.state.waits[w.id]) step.fire(w, { variables });
      return;
    }
    case 'setVariables':
      return step.setVariables(ROOT, variablesOf(command.variables, 'variables') ?? {});
    case 'childCompleted': {
      const w = waitOf(step, command.callId, 'call', 'call');
      return step.fire(w, { variables: variablesOf(command.variables, 'variables') });
    }
    case 'childFailed': {
      const w = waitOf(step, command.callId, 'call', 'call');
      const owner = step.element(w.owner);
      if (!owner) return;
      delete step.state.waits[w.id];
      if (!throwError(step, owner, command.errorCode, command.message)) uncaughtError(step, owner, command.errorCode, command.message);
      return;
    }
    case 'cancel':
      return step.endInstance('cancelled');
    default:
      throw new EngineError('BAD_COMMAND', `unknown command "${(command as { type: unknown }).type}"`);
  }
}

function clearJobFault(step: Step, w: Wait): void {
  const owner = step.element(w.owner);
  if (owner?.fault) {
    delete step.state.faults[owner.fault];
    step.emit({ type: 'faultResolved', faultId: owner.fault });
    delete owner.fault;
  }
}

/** An operator fixed the cause: run the job again, or the element that faulted. */
function retryFault(step: Step, faultId: string, retries: number | undefined): void {
  const fault = step.state.faults[faultId];
  if (!fault) throw new EngineError('NOT_FOUND', `fault "${faultId}" is not open in this instance`);
  const ei = step.element(fault.elementInstanceId);
  delete step.state.faults[faultId];
  step.emit({ type: 'faultResolved', faultId });
  if (!ei) return;
  delete ei.fault;
  const job = fault.jobId ? step.state.waits[fault.jobId] : undefined;
  if (job) {
    job.retries = Math.max(1, Math.floor(retries ?? 1));
    step.emit({
      type: 'jobCreated',
      jobId: job.id,
      jobType: job.jobType as string,
      elementId: ei.el,
      retries: job.retries,
      variables: { ...step.context(ei.id) },
    });
    return;
  }
  if (fault.atLeave) return step.later(() => step.complete(ei));
  // Only the wait that could not open failed: open it again, leaving the element (or scope) as it is.
  const trigger = fault.trigger;
  if (trigger) return step.later(() => void step.subscribe(ei, step.node(trigger)));
  step.closeWaits(ei.id);
  step.later(() => step.activate(ei.id));
}
