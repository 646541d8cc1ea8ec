// Reads the execution attributes of an element from whichever dialect the model uses:
// ServiceLoom (`sl:`), Camunda 7 (`camunda:`), Camunda 8 (`zeebe:`), Flowable (`flowable:`) or
// Activiti (`activiti:`, also legacy Camunda 7 models that bind `camunda:` to Activiti's
// namespace), into one shape. Flowable and Activiti are read with Camunda 7's descriptor
// (moddle.ts), so the three share one reader under their own prefixes.
import type { ModdleElement } from 'bpmn-moddle';
import { HTTP_JOB_TYPE, type HttpMapping, readConnector, readHttpTask } from './connectors.ts';

/** The Camunda 7 family: the same attributes under three prefixes (one is loaded per document). */
export const LEGACY_PREFIXES = ['camunda', 'flowable', 'activiti'] as const;

export interface RawMapping {
  source: string;
  target: string;
  /** How `source` is written: FEEL, Camunda 7 JUEL, or a literal string. */
  dialect: 'feel' | 'juel' | 'literal';
}

export interface RawExtensions {
  assignee?: string;
  candidateGroups?: string;
  /** Read to refuse them: the engine offers tasks to groups or one assignee only. */
  candidateUsers?: string;
  formKey?: string;
  dueDate?: string;
  jobType?: string;
  retries?: string;
  resultVariable?: string;
  /** zeebe:script expression (a FEEL script written as an attribute). */
  scriptExpression?: string;
  calledElement?: string;
  calledVersion?: string;
  propagateAllChildVariables?: boolean;
  correlationKey?: string;
  /** sl:state: the state a record (a ticket) driven by this process takes when a token enters the element. */
  recordState?: string;
  inputs: RawMapping[];
  outputs: RawMapping[];
  /** Camunda 7 Java or expression delegates, which cannot run here. */
  javaImplementation?: string;
  /** Call activities: whether the child gets all the caller's variables (else only the input mappings). */
  childGetsAllVariables?: boolean;
  /** Call activities: Camunda 7 `out variables="all"` next to named `out` mappings. */
  outputsAllAndMapped?: boolean;
  /** An HTTP call of another dialect mapped onto the http connector (connectors.ts): what was read. */
  httpConnector?: string;
  /** The job's result stays local to the element: only its output mappings reach the process. */
  jobResultLocal?: boolean;
  /** Things met while reading that cannot run as written: refused, each a sentence naming the extension. */
  refused: string[];
}

function extensionValues(el: ModdleElement): ModdleElement[] {
  return (el.extensionElements?.values as ModdleElement[] | undefined) ?? [];
}

function first(el: ModdleElement, type: string): ModdleElement | undefined {
  return extensionValues(el).find((v) => v.$type === type);
}

function attr(el: ModdleElement, name: string): string | undefined {
  const v = el.get(name);
  return v === undefined || v === null || v === '' ? undefined : String(v);
}

/** The first extension element of the Camunda 7 family with this local type name. */
function firstLegacy(el: ModdleElement, localType: string): ModdleElement | undefined {
  return extensionValues(el).find((v) => LEGACY_PREFIXES.some((p) => v.$type === `${p}:${localType}`));
}

function allLegacy(el: ModdleElement, localType: string): ModdleElement[] {
  return extensionValues(el).filter((v) => LEGACY_PREFIXES.some((p) => v.$type === `${p}:${localType}`));
}

/** The value of a Camunda 7 family attribute, and its name as written (`flowable:assignee`). */
function legacyAttr(el: ModdleElement, local: string): { name: string; value: string } | undefined {
  for (const p of LEGACY_PREFIXES) {
    const name = `${p}:${local}`;
    if (hasProperty(el, name) && attr(el, name) !== undefined) return { name, value: attr(el, name) as string };
  }
  return undefined;
}

function camundaMappings(list: ModdleElement[] | undefined, refused: string[]): RawMapping[] {
  const out: RawMapping[] = [];
  for (const p of list ?? []) {
    // A list, map or script value (`<camunda:list>`) would otherwise read as an empty string.
    if (p.definition) {
      refused.push(
        `the mapping for "${p.name}" is a ${String(p.definition.$type).split(':')[1]?.toLowerCase()}; write it as a FEEL expression`,
      );
      continue;
    }
    const value = typeof p.value === 'string' ? p.value : '';
    const isExpr = /^\s*[$#]\{/.test(value);
    out.push({ source: value, target: String(p.name), dialect: isExpr ? 'juel' : 'literal' });
  }
  return out;
}

const FEEL_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Camunda 7 / Flowable / Activiti call activity bindings. There the child gets no variable unless
 * an `in` passes it (`variables="all"` passes all), and the caller gets none back unless an `out`
 * does: the opposite of Zeebe's defaults, so they are mapped explicitly.
 */
function legacyCallBindings(el: ModdleElement, ext: RawExtensions): void {
  const ins = allLegacy(el, 'In');
  const outs = allLegacy(el, 'Out');
  const binding = (b: ModdleElement, dir: 'in' | 'out'): RawMapping | undefined => {
    const tag = `${b.$type.split(':')[0]}:${dir}`;
    if (b.businessKey !== undefined) {
      // The engine hands the caller's business key to the child already; anything else cannot be honoured.
      if (!/^\s*[$#]\{\s*execution\.processBusinessKey\s*\}\s*$/.test(String(b.businessKey)))
        ext.refused.push(`${tag} businessKey="${b.businessKey}" cannot run here: the child always gets its caller's business key`);
      return undefined;
    }
    if (b.local === true) {
      ext.refused.push(`${tag} local="true" is not supported; map the variables by name`);
      return undefined;
    }
    if (b.variables === 'all') return undefined;
    const target = String(b.target ?? b.source ?? '');
    if (b.sourceExpression !== undefined) return { source: String(b.sourceExpression), target, dialect: 'juel' };
    const source = String(b.source ?? '');
    if (!FEEL_NAME.test(source)) {
      ext.refused.push(`${tag} source="${source}" is not a plain variable name; use sourceExpression`);
      return undefined;
    }
    return { source, target, dialect: 'feel' };
  };
  const inAll = ins.some((b) => b.variables === 'all' && b.local !== true);
  const outAll = outs.some((b) => b.variables === 'all' && b.local !== true);
  const inMapped = ins.map((b) => binding(b, 'in')).filter((m): m is RawMapping => m !== undefined);
  const outMapped = outs.map((b) => binding(b, 'out')).filter((m): m is RawMapping => m !== undefined);
  ext.inputs.push(...inMapped);
  ext.outputs.push(...outMapped);
  ext.childGetsAllVariables = inAll;
  ext.propagateAllChildVariables = outAll;
  if (outAll && outMapped.length) ext.outputsAllAndMapped = true;
}

function feelMappings(list: ModdleElement[] | undefined): RawMapping[] {
  return (list ?? []).map((p) => ({ source: String(p.source ?? ''), target: String(p.target ?? ''), dialect: 'feel' }));
}

/** Zeebe input sources are FEEL when they start with `=`, else static strings (`demo@camunda.com`). */
function zeebeInputs(list: ModdleElement[] | undefined): RawMapping[] {
  return feelMappings(list).map((m) => (m.source.trim().startsWith('=') ? m : { ...m, dialect: 'literal' }));
}

export function readExtensions(el: ModdleElement): RawExtensions {
  const refused: string[] = [];
  const sl = first(el, 'sl:InputOutput');
  const zeebeIo = first(el, 'zeebe:IoMapping');
  const camundaIo = firstLegacy(el, 'InputOutput');
  const inputs = [
    ...feelMappings(sl?.inputs),
    ...zeebeInputs(zeebeIo?.inputParameters),
    ...camundaMappings(camundaIo?.inputParameters, refused),
  ];
  const outputs = [
    ...feelMappings(sl?.outputs),
    ...feelMappings(zeebeIo?.outputParameters),
    ...camundaMappings(camundaIo?.outputParameters, refused),
  ];

  const zTask = first(el, 'zeebe:TaskDefinition');
  const zAssign = first(el, 'zeebe:AssignmentDefinition');
  const zForm = first(el, 'zeebe:FormDefinition');
  const zScript = first(el, 'zeebe:Script');
  const zCalled = first(el, 'zeebe:CalledElement');
  // Zeebe declares the correlation key on the message the event or receive task refers to.
  const message = (el.messageRef ?? (el.eventDefinitions as ModdleElement[] | undefined)?.[0]?.messageRef) as ModdleElement | undefined;
  const zSub = first(el, 'zeebe:Subscription') ?? (message ? first(message, 'zeebe:Subscription') : undefined);
  const zSchedule = first(el, 'zeebe:TaskSchedule');
  const legacyType = legacyAttr(el, 'type')?.value;
  // Camunda 7 external tasks and Flowable external-worker tasks are jobs a worker fetches by topic.
  const externalTopic = legacyType === 'external' || legacyType === 'external-worker' ? legacyAttr(el, 'topic')?.value : undefined;

  const ext: RawExtensions = { inputs, outputs, refused };
  // Camunda 7 http-connector, Flowable / Activiti HTTP tasks: the engine's http connector.
  const connector = firstLegacy(el, 'Connector');
  const typeAttr = legacyAttr(el, 'type');
  let http: HttpMapping | undefined;
  if (connector) http = readConnector(connector, refused);
  else if (typeAttr?.value === 'http') http = readHttpTask(allLegacy(el, 'Field'), typeAttr.name.split(':')[0] as string, refused);
  if (http) {
    inputs.push(...http.inputs);
    outputs.push(...http.outputs);
    ext.httpConnector = http.what;
    ext.jobResultLocal = true;
  }
  const set = <K extends keyof RawExtensions>(key: K, ...candidates: Array<RawExtensions[K] | undefined>) => {
    const v = candidates.find((c) => c !== undefined && c !== '');
    if (v !== undefined) ext[key] = v;
  };
  const has = (name: string) => hasProperty(el, name);
  set('assignee', has('sl:assignee') ? attr(el, 'sl:assignee') : undefined, zAssign?.assignee, legacyAttr(el, 'assignee')?.value);
  set(
    'candidateGroups',
    has('sl:candidateGroups') ? attr(el, 'sl:candidateGroups') : undefined,
    zAssign?.candidateGroups,
    legacyAttr(el, 'candidateGroups')?.value,
  );
  set('candidateUsers', zAssign?.candidateUsers, legacyAttr(el, 'candidateUsers')?.value);
  set('formKey', has('sl:formKey') ? attr(el, 'sl:formKey') : undefined, zForm?.formKey ?? zForm?.formId, legacyAttr(el, 'formKey')?.value);
  set('dueDate', has('sl:dueDate') ? attr(el, 'sl:dueDate') : undefined, zSchedule?.dueDate, legacyAttr(el, 'dueDate')?.value);
  set('jobType', has('sl:type') ? attr(el, 'sl:type') : undefined, zTask?.type, externalTopic, http ? HTTP_JOB_TYPE : undefined);
  set('retries', has('sl:retries') ? attr(el, 'sl:retries') : undefined, zTask?.retries);
  set(
    'resultVariable',
    has('sl:resultVariable') ? attr(el, 'sl:resultVariable') : undefined,
    zScript?.resultVariable,
    legacyAttr(el, 'resultVariable')?.value,
  );
  set('scriptExpression', zScript?.expression);
  set('calledElement', zCalled?.processId);
  set('calledVersion', has('sl:calledVersion') ? attr(el, 'sl:calledVersion') : undefined, legacyAttr(el, 'calledElementVersion')?.value);
  set('correlationKey', has('sl:correlationKey') ? attr(el, 'sl:correlationKey') : undefined, zSub?.correlationKey);
  set('recordState', has('sl:state') ? attr(el, 'sl:state') : undefined);
  if (has('sl:propagateAllChildVariables') && el.get('sl:propagateAllChildVariables') === false) ext.propagateAllChildVariables = false;
  else if (zCalled?.propagateAllChildVariables === false) ext.propagateAllChildVariables = false;
  if (zCalled?.propagateAllParentVariables === false) ext.childGetsAllVariables = false;
  if (el.$type === 'bpmn:CallActivity' && LEGACY_PREFIXES.some((p) => hasProperty(el, `${p}:calledElementBinding`)))
    legacyCallBindings(el, ext);
  for (const local of ['class', 'delegateExpression', 'expression']) {
    const found = legacyAttr(el, local);
    if (found) ext.javaImplementation = `${found.name}="${found.value}"`;
  }
  return ext;
}

/** Whether the element's type declares the property (moddle throws on unknown names otherwise). */
function hasProperty(el: ModdleElement, name: string): boolean {
  const descriptor = (el as { $descriptor?: { propertiesByName?: Record<string, unknown> } }).$descriptor;
  return Boolean(descriptor?.propertiesByName?.[name]);
}

/** Multi-instance attributes from `sl:`, `zeebe:loopCharacteristics` or `camunda:`. */
export function readLoopExtensions(loop: ModdleElement): {
  collection?: string;
  elementVariable?: string;
  outputCollection?: string;
  outputElement?: string;
} {
  const z = first(loop, 'zeebe:LoopCharacteristics');
  const pick = (...c: Array<string | undefined>) => c.find((v) => v !== undefined && v !== '');
  const a = (name: string) => (hasProperty(loop, name) ? attr(loop, name) : undefined);
  return {
    collection: pick(a('sl:collection'), z?.inputCollection, legacyAttr(loop, 'collection')?.value),
    elementVariable: pick(a('sl:elementVariable'), z?.inputElement, legacyAttr(loop, 'elementVariable')?.value),
    outputCollection: pick(a('sl:outputCollection'), z?.outputCollection),
    outputElement: pick(a('sl:outputElement'), z?.outputElement),
  };
}
