// The process port: all that an ITSM module (modules/<name>/) may ask of the process core. A
// ticket's life is a process instance; the module starts it, completes its tasks, sends it
// messages and reads where it stands, and nothing more. Modules import this file only (the rule
// modules-use-the-process-port in .dependency-cruiser.cjs), so the core can change inside without
// touching them.
//
// The `...In` methods run inside the module's own transaction (a `Work`), so that a record and
// the step that changes it commit together; `observeSteps` lets a module keep its record's state
// in step with the `sl:state` of the elements its instance enters, in that same transaction.
import type { Variables } from '@serviceloom/engine';
import type { FormService } from '../forms/forms.ts';
import type { Principal } from '../platform/auth/tokens.ts';
import type { Statement } from '../platform/db/batch.ts';
import type { Queryable } from '../platform/db/connect.ts';
import type { Work } from '../platform/db/transactions.ts';
import type { DefinitionService } from './definitions.ts';
import type { EventService, Message } from './events.ts';
import type { InstanceService, InstanceView, StartRequest } from './instances.ts';
import type { ObservedStep, StepObserver, StepRunner } from './steps.ts';
import type { TaskService, TaskView } from './tasks.ts';

export type { InstanceView, Message, ObservedStep, StartRequest, StepObserver, TaskView };

/** A tenant's latest version of a definition key, with its XML. */
export interface LatestDefinition {
  key: string;
  version: number;
  bpmnXml: string;
}

export interface ProcessPort {
  /** Starts an instance of the tenant's latest (or given) version of a definition. */
  startInstance(tenantId: string, actor: string, request: StartRequest): Promise<InstanceView>;
  /** Starts an instance in the caller's transaction; `also` (given the instance's id and definition version) writes with the start. */
  startInstanceIn(
    work: Work,
    actor: string,
    request: StartRequest,
    also?: (instanceId: string, definitionVersion: number) => Statement[],
  ): Promise<InstanceView>;
  /** Where an instance stands, as the caller may see it (404 otherwise). */
  readInstance(caller: Principal, instanceId: string): Promise<InstanceView>;
  /** The caller's view of a task list filtered to one instance. */
  tasksOf(caller: Principal, instanceId: string): Promise<TaskView[]>;
  /** Completes a task as the caller, validated against the task's form. */
  completeTask(caller: Principal, taskId: string, variables?: Variables): Promise<TaskView>;
  /** Correlates a message; returns the catches reached plus the instances started. */
  correlateMessage(tenantId: string, message: Message, actor?: string): Promise<number>;
  /** Names of the messages an instance waits for now (its open message subscriptions). */
  awaitedMessages(q: Queryable, tenantId: string, instanceId: string): Promise<string[]>;
  /**
   * Delivers a message to one instance's oldest open catch of that name, in the caller's
   * transaction, with `also` written in the same step. False if the instance does not wait for it.
   */
  sendMessageIn(
    work: Work,
    instanceId: string,
    name: string,
    options?: { variables?: Variables; actor?: string; also?: () => Statement[] },
  ): Promise<boolean>;
  /**
   * Validates data against the latest published version of a form (400 FORM_INVALID); no published
   * form, no check. `standard` values join the data where the form declares a field of that name.
   */
  checkForm(work: Work, formKey: string, data: Variables, actor: string, standard?: Variables): Promise<void>;
  /** Keeps a record in step with the `sl:state` of the elements its instance enters. */
  observeSteps(observer: StepObserver): void;
  /** The tenant's latest version of each definition key (the templates module compares them). */
  latestDefinitions(tenantId: string): Promise<LatestDefinition[]>;
  /** Deploys XML as the next version of its key (unchanged XML deploys nothing: `created` false). */
  deploy(
    tenantId: string,
    actor: { userId: string | null; username: string },
    xml: string,
  ): Promise<{ key: string; version: number; created: boolean }>;
}

export function processPort(core: {
  instances: InstanceService;
  tasks: TaskService;
  events: EventService;
  steps: StepRunner;
  forms: FormService;
  definitions: DefinitionService;
}): ProcessPort {
  return {
    startInstance: (tenantId, actor, request) => core.instances.start(tenantId, actor, request),
    startInstanceIn: (work, actor, request, also) => core.instances.startIn(work, actor, request, also),
    readInstance: (caller, id) => core.instances.get(caller, id),
    tasksOf: (caller, processInstanceId) => core.tasks.list(caller, { processInstanceId, status: 'open' }),
    completeTask: (caller, taskId, variables) => core.tasks.complete(caller, taskId, variables),
    correlateMessage: (tenantId, message, actor) => core.events.correlate(tenantId, message, actor),
    awaitedMessages: (q, tenantId, instanceId) => core.events.awaited(q, tenantId, instanceId),
    sendMessageIn: (work, instanceId, name, options) => core.events.sendTo(work, instanceId, name, options),
    checkForm: (work, formKey, data, actor, standard) => core.forms.checkData(work, formKey, data, actor, standard),
    observeSteps: (observer) => core.steps.observe(observer),
    latestDefinitions: async (tenantId) =>
      (await core.definitions.latestOfEachKey(tenantId)).map((d) => ({ key: d.key, version: d.version, bpmnXml: d.bpmn_xml })),
    deploy: async (tenantId, actor, xml) => {
      const { definition, created } = await core.definitions.deploy(tenantId, actor.username, xml, actor.userId);
      return { key: definition.key, version: definition.version, created };
    },
  };
}
