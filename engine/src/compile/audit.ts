// Says what happens to each extension attribute and element a model carries: read (the builder
// maps it), harmless (kept, no effect on a run), ignored with a warning (it cannot change how the
// process runs, or the user asked us to warn), or refused (it changes behaviour and cannot run
// here). Whatever this table does not know is warned about by name: nothing is dropped in silence.
import type { ModdleElement } from 'bpmn-moddle';
import { LEGACY_PREFIXES } from './extensions.ts';

/** The extension a finding is about, and why: the import report lists them apart from the message. */
export interface Finding {
  what: string;
  reason: string;
}

export interface AuditReport {
  warn(elementId: string, message: string, finding?: Finding): void;
  error(elementId: string, message: string, finding?: Finding): void;
  /** An extension of another dialect that the engine reads: what it becomes here. */
  map?(elementId: string, attribute: string, to: string, note?: string): void;
}

type Verdict = 'read' | 'harmless' | { warn: string } | { refuse: string };

const warn = (why: string): Verdict => ({ warn: why });
const refuse = (why: string): Verdict => ({ refuse: why });

const LISTENER = warn('listeners do not run here: what they do (set variables, notify, call code) will not happen');
const JAVA = (what: string) => refuse(`${what} cannot run here: use a job type (sl:type) for a worker or connector`);

/** Camunda 7 family attributes, by local name (the same under `camunda:`, `flowable:` and `activiti:`). */
const LEGACY_ATTRS: Record<string, Verdict> = {
  assignee: 'read',
  candidateGroups: 'read',
  candidateUsers: 'read', // refused by the builder, with its value
  formKey: 'read',
  dueDate: 'read',
  resultVariable: 'read',
  calledElementVersion: 'read',
  collection: 'read',
  elementVariable: 'read',
  type: 'read', // external / external-worker read; other values refused by the builder
  topic: 'read',
  class: 'read', // refused by the builder as a Java delegate
  delegateExpression: 'read',
  expression: 'read',
  async: 'harmless',
  asyncBefore: 'harmless',
  asyncAfter: 'harmless',
  exclusive: 'harmless',
  modelerTemplate: 'harmless',
  modelerTemplateVersion: 'harmless',
  calledElementBinding: 'read', // checked below
  followUpDate: warn('the follow-up date is not kept on tasks'),
  priority: warn('task priorities are not kept'),
  taskPriority: warn('job priorities are not used: jobs are fetched in order'),
  jobPriority: warn('job priorities are not used: jobs are fetched in order'),
  historyTimeToLive: warn('history is kept by the server’s retention settings'),
  isStartableInTasklist: warn('who may start a process is decided by roles'),
  versionTag: warn('version tags are not kept; deployments are numbered'),
  candidateStarterGroups: warn('who may start a process is decided by roles'),
  candidateStarterUsers: warn('who may start a process is decided by roles'),
  calledElementTenantId: warn('tenant ids are ignored: a called process runs in the caller’s tenant'),
  tenantId: warn('tenant ids are ignored: the process runs in the tenant that deploys it'),
  initiator: refuse('the initiator variable cannot be set: the engine does not know who started the instance'),
  formHandlerClass: JAVA('a Java form handler'),
  decisionRef: refuse('DMN decisions cannot run here: use a job type (sl:type) for a worker that decides'),
  decisionRefBinding: 'read',
  decisionRefVersion: 'read',
  decisionRefTenantId: 'read',
  mapDecisionResult: 'read',
  calledElementVersionTag: refuse('calling a process by version tag is not supported; call the latest or a version number'),
  caseRef: refuse('CMMN cases cannot be called here'),
  caseBinding: 'read',
  caseVersion: 'read',
  caseTenantId: 'read',
  variableMappingClass: JAVA('a Java variable mapping'),
  variableMappingDelegateExpression: JAVA('a Java variable mapping'),
  resource: refuse('scripts loaded from a resource cannot run here; write the script in FEEL'),
  errorCodeVariable: refuse('the error code variable is not set on catch; map errorCode in an output mapping'),
  errorMessageVariable: refuse('the error message variable is not set on catch; map errorMessage in an output mapping'),
  escalationCodeVariable: refuse('the escalation code variable is not set on catch; map escalationCode in an output mapping'),
  variableName: warn('conditional events are evaluated after any variable change'),
  variableEvents: warn('conditional events are evaluated after any variable change'),
  skipExpression: refuse('skip expressions are not supported'),
};

const LEGACY_ELEMENTS: Record<string, Verdict> = {
  InputOutput: 'read',
  In: 'read', // call activities; refused elsewhere below
  Out: 'read',
  ExecutionListener: LISTENER,
  TaskListener: LISTENER,
  Properties: warn('extension properties are kept as documentation only'),
  FormData: warn('the form fields are not shown: give the task a form key of a ServiceLoom form'),
  FormProperty: warn('the form properties are not shown: give the task a form key of a ServiceLoom form'),
  Connector: 'read', // the http-connector maps onto the http connector; other connector ids are refused (connectors.ts)
  Field: warn('field injection only feeds Java delegates, which do not run here'),
  FailedJobRetryTimeCycle: warn('the retry cycle is not used: a failed job is retried as its worker reports'),
  ErrorEventDefinition: refuse('error mappings of external tasks are not supported; let the worker throw the error'),
  PotentialStarter: warn('who may start a process is decided by roles'),
};

const ZEEBE_ELEMENTS: Record<string, Verdict> = {
  'zeebe:TaskDefinition': 'read',
  'zeebe:IoMapping': 'read',
  'zeebe:Subscription': 'read',
  'zeebe:LoopCharacteristics': 'read',
  'zeebe:CalledElement': 'read',
  'zeebe:AssignmentDefinition': 'read',
  'zeebe:FormDefinition': 'read',
  'zeebe:Script': 'read',
  'zeebe:UserTask': 'harmless', // marks a Camunda user task (rather than a job-based one): ours are tasks either way
  'zeebe:TaskSchedule': 'read',
  'zeebe:TaskHeaders': warn('task headers are not passed to the job worker'),
  'zeebe:Properties': warn('extension properties are kept as documentation only'),
  'zeebe:PriorityDefinition': warn('task priorities are not kept'),
  'zeebe:JobPriorityDefinition': warn('job priorities are not used: jobs are fetched in order'),
  'zeebe:ExecutionListeners': LISTENER,
  'zeebe:TaskListeners': LISTENER,
  'zeebe:VersionTag': warn('version tags are not kept; deployments are numbered'),
  'zeebe:LinkedResources': warn('linked resources are not passed to the job worker'),
  'zeebe:UserTaskForm': warn('embedded Camunda forms are not shown: give the task a form key of a ServiceLoom form'),
  'zeebe:CalledDecision': refuse('DMN decisions cannot run here: use a job type (sl:type) for a worker that decides'),
  'zeebe:ConditionalFilter': warn('conditional events are evaluated after any variable change'),
  'zeebe:AdHoc': 'read', // ad-hoc subprocesses are refused by the builder
};

const ZEEBE_ATTRS: Record<string, Verdict> = {
  modelerTemplate: 'harmless',
  modelerTemplateVersion: 'harmless',
  modelerTemplateIcon: 'harmless',
};

/** What a read extension of another dialect becomes here (absent: read only to be refused, or checked elsewhere). */
const MAPPED_TO: Record<string, string> = {
  assignee: "the task's assignee (sl:assignee)",
  candidateGroups: "the task's candidate groups (sl:candidateGroups)",
  formKey: "the task's form key (sl:formKey)",
  dueDate: "the task's due date (sl:dueDate)",
  resultVariable: 'the result variable (sl:resultVariable)',
  calledElementVersion: 'the called version (sl:calledVersion)',
  calledElementBinding: 'which version is called (latest, or sl:calledVersion)',
  collection: 'the multi-instance collection (sl:collection)',
  elementVariable: 'the multi-instance element variable (sl:elementVariable)',
  type: 'a job fetched by workers (sl:type)',
  topic: 'the job type (sl:type)',
  InputOutput: 'input and output mappings (JUEL translated to FEEL)',
  In: "the child's variables: only what the in mappings pass",
  Out: "the caller's variables: only what the out mappings return",
  'zeebe:TaskDefinition': 'a job (sl:type, sl:retries)',
  'zeebe:IoMapping': 'input and output mappings (FEEL)',
  'zeebe:Subscription': 'the correlation key (sl:correlationKey)',
  'zeebe:LoopCharacteristics': 'multi-instance (sl:collection, sl:elementVariable, sl:outputCollection)',
  'zeebe:CalledElement': 'the called process and which variables pass',
  'zeebe:AssignmentDefinition': "the task's assignee and candidate groups",
  'zeebe:FormDefinition': "the task's form key (sl:formKey)",
  'zeebe:Script': 'a FEEL script (sl:resultVariable)',
  'zeebe:TaskSchedule': "the task's due date (sl:dueDate)",
};

const HARMLESS = 'nothing: kept, it changes nothing about how the process runs here';

/** Values of `camunda:type` (Camunda 7) or `flowable:type` the engine runs: jobs fetched by topic. */
const JOB_TYPES = new Set(['external', 'external-worker', 'http']);

function prefixOf(name: string): string {
  return name.includes(':') ? (name.split(':')[0] as string) : '';
}

function isLegacy(prefix: string): boolean {
  return (LEGACY_PREFIXES as readonly string[]).includes(prefix);
}

/** Audits one element (a flow node, sequence flow, process, event or loop definition) and reports under `ownerId`. */
export function auditExtensions(el: ModdleElement, ownerId: string, report: AuditReport): void {
  const verdict = (v: Verdict | undefined, what: string, key?: string) => {
    if (v === undefined) {
      const reason = 'it is not read by this engine';
      report.warn(ownerId, `${what} is not read by this engine and is ignored`, { what, reason });
    } else if (typeof v === 'object' && 'warn' in v) report.warn(ownerId, `${what} is ignored: ${v.warn}`, { what, reason: v.warn });
    else if (typeof v === 'object' && 'refuse' in v) report.error(ownerId, `${what}: ${v.refuse}`, { what, reason: v.refuse });
    else if (v === 'harmless') report.map?.(ownerId, what, HARMLESS);
    else if (key && MAPPED_TO[key]) report.map?.(ownerId, what, MAPPED_TO[key] as string);
  };
  const refuseHere = (what: string, reason: string) => report.error(ownerId, `${what}: ${reason}`, { what, reason });
  // Attributes the loaded descriptor knows (moddle stores them under their local name).
  const descriptor = (el as { $descriptor?: { propertiesByName?: Record<string, { ns?: { prefix?: string; localName?: string } }> } })
    .$descriptor;
  for (const key of Object.keys(el)) {
    if (key.startsWith('$')) continue;
    const prop = descriptor?.propertiesByName?.[key];
    const prefix = prop?.ns?.prefix;
    if (!prefix || prefix === 'bpmn' || prefix === 'sl') continue;
    const local = prop?.ns?.localName ?? key;
    const value = el[key];
    if (value === undefined || value === null || typeof value === 'object') continue;
    const what = `${prefix}:${local}="${String(value)}"`;
    if (isLegacy(prefix)) {
      if (local === 'type' && String(value) === 'http' && TASKS_WITH_JOBS.has(el.$type)) continue; // the builder maps the HTTP task (connectors.ts)
      if (local === 'type' && !JOB_TYPES.has(String(value))) {
        refuseHere(what, 'this task type cannot run here; use a job type (sl:type) for a worker or connector');
        continue;
      }
      if (local === 'calledElementBinding' && !['latest', 'version'].includes(String(value))) {
        refuseHere(what, 'only the latest version or a version number can be called');
        continue;
      }
      verdict(LEGACY_ATTRS[local], what, local);
    } else if (prefix === 'zeebe') verdict(ZEEBE_ATTRS[local], what, local);
    else verdict(undefined, what);
  }
  // Attributes no loaded descriptor knows: another dialect's, or a vendor's.
  for (const [name, value] of Object.entries((el.$attrs as Record<string, string> | undefined) ?? {})) {
    const prefix = prefixOf(name);
    if (!prefix || prefix === 'xmlns' || prefix === 'xsi' || prefix === 'xml') continue;
    if (name === 'bioc:stroke' || name === 'bioc:fill' || name.startsWith('color:')) continue; // diagram colours
    verdict(undefined, `${name}="${value}"`);
  }
  for (const v of (el.extensionElements?.values as ModdleElement[] | undefined) ?? []) {
    const type = String(v.$type);
    const prefix = prefixOf(type);
    if (prefix === 'sl') continue;
    if (isLegacy(prefix)) {
      const local = type.slice(prefix.length + 1);
      // Read by connectors.ts (which refuses what it cannot map) on the tasks it reads; refused elsewhere.
      if (TASKS_WITH_JOBS.has(el.$type) && (local === 'Connector' || (local === 'Field' && isHttpTask(el)))) continue;
      if (local === 'Connector') {
        refuseHere(describe(v, prefix, local), 'a connector here cannot run: put the call on a service or send task');
        continue;
      }
      if ((local === 'In' || local === 'Out') && el.$type !== 'bpmn:CallActivity') {
        refuseHere(`${prefix}:${local.toLowerCase()}`, 'passing variables with a signal or a non-call element is not supported');
        continue;
      }
      verdict(LEGACY_ELEMENTS[local], describe(v, prefix, local), local);
    } else if (prefix === 'zeebe') verdict(ZEEBE_ELEMENTS[type], describe(v, prefix, type.slice(6)), type);
    else verdict(undefined, `<${type}>`);
  }
}

/** The tasks whose HTTP calls of another dialect are mapped onto the http connector. */
const TASKS_WITH_JOBS = new Set(['bpmn:ServiceTask', 'bpmn:SendTask', 'bpmn:BusinessRuleTask']);

/** A Flowable / Activiti HTTP task (`flowable:type="http"`): its fields are read, not Java field injection. */
function isHttpTask(el: ModdleElement): boolean {
  const props = (el as { $descriptor?: { propertiesByName?: Record<string, unknown> } }).$descriptor?.propertiesByName ?? {};
  return (LEGACY_PREFIXES as readonly string[]).some((p) => Boolean(props[`${p}:type`]) && el.get(`${p}:type`) === 'http');
}

/** `camunda:executionListener (class="com.acme.Audit")`: the element, and what it would run. */
function describe(v: ModdleElement, prefix: string, local: string): string {
  const tag = `${prefix}:${local.charAt(0).toLowerCase()}${local.slice(1)}`;
  const detail = ['class', 'delegateExpression', 'expression', 'type', 'connectorId', 'event', 'eventType']
    .map((k) => (typeof v[k] === 'string' ? `${k}="${v[k]}"` : ''))
    .filter(Boolean)
    .join(' ');
  const nested = (v.connectorId as string | undefined) ?? '';
  return detail ? `${tag} (${detail})` : nested ? `${tag} ${nested}` : tag;
}
