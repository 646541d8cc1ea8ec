// Reads the execution attributes of an element from whichever dialect the model uses:
// ServiceLoom (`sl:`), Camunda 7 (`camunda:`) or Camunda 8 (`zeebe:`), into one shape.
import type { ModdleElement } from 'bpmn-moddle';

export interface RawMapping {
  source: string;
  target: string;
  /** How `source` is written: FEEL, Camunda 7 JUEL, or a literal string. */
  dialect: 'feel' | 'juel' | 'literal';
}

export interface RawExtensions {
  assignee?: string;
  candidateGroups?: string;
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

function camundaMappings(list: ModdleElement[] | undefined): RawMapping[] {
  return (list ?? []).map((p) => {
    const value = typeof p.value === 'string' ? p.value : '';
    const isExpr = /^\s*[$#]\{/.test(value);
    return { source: value, target: String(p.name), dialect: isExpr ? 'juel' : 'literal' };
  });
}

function feelMappings(list: ModdleElement[] | undefined): RawMapping[] {
  return (list ?? []).map((p) => ({ source: String(p.source ?? ''), target: String(p.target ?? ''), dialect: 'feel' }));
}

/** Zeebe input sources are FEEL when they start with `=`, else static strings (`demo@camunda.com`). */
function zeebeInputs(list: ModdleElement[] | undefined): RawMapping[] {
  return feelMappings(list).map((m) => (m.source.trim().startsWith('=') ? m : { ...m, dialect: 'literal' }));
}

export function readExtensions(el: ModdleElement): RawExtensions {
  const sl = first(el, 'sl:InputOutput');
  const zeebeIo = first(el, 'zeebe:IoMapping');
  const camundaIo = first(el, 'camunda:InputOutput');
  const inputs = [...feelMappings(sl?.inputs), ...zeebeInputs(zeebeIo?.inputParameters), ...camundaMappings(camundaIo?.inputParameters)];
  const outputs = [
    ...feelMappings(sl?.outputs),
    ...feelMappings(zeebeIo?.outputParameters),
    ...camundaMappings(camundaIo?.outputParameters),
  ];

  const zTask = first(el, 'zeebe:TaskDefinition');
  const zAssign = first(el, 'zeebe:AssignmentDefinition');
  const zForm = first(el, 'zeebe:FormDefinition');
  const zScript = first(el, 'zeebe:Script');
  const zCalled = first(el, 'zeebe:CalledElement');
  // Zeebe declares the correlation key on the message the event or receive task refers to.
  const message = (el.messageRef ?? (el.eventDefinitions as ModdleElement[] | undefined)?.[0]?.messageRef) as ModdleElement | undefined;
  const zSub = first(el, 'zeebe:Subscription') ?? (message ? first(message, 'zeebe:Subscription') : undefined);
  const camundaExternal = attr(el, 'camunda:type') === 'external' ? attr(el, 'camunda:topic') : undefined;

  const ext: RawExtensions = { inputs, outputs };
  const set = <K extends keyof RawExtensions>(key: K, ...candidates: Array<RawExtensions[K] | undefined>) => {
    const v = candidates.find((c) => c !== undefined && c !== '');
    if (v !== undefined) ext[key] = v;
  };
  const has = (name: string) => hasProperty(el, name);
  set(
    'assignee',
    has('sl:assignee') ? attr(el, 'sl:assignee') : undefined,
    zAssign?.assignee,
    has('camunda:assignee') ? attr(el, 'camunda:assignee') : undefined,
  );
  set(
    'candidateGroups',
    has('sl:candidateGroups') ? attr(el, 'sl:candidateGroups') : undefined,
    zAssign?.candidateGroups,
    has('camunda:candidateGroups') ? attr(el, 'camunda:candidateGroups') : undefined,
  );
  set(
    'formKey',
    has('sl:formKey') ? attr(el, 'sl:formKey') : undefined,
    zForm?.formKey ?? zForm?.formId,
    has('camunda:formKey') ? attr(el, 'camunda:formKey') : undefined,
  );
  set('dueDate', has('sl:dueDate') ? attr(el, 'sl:dueDate') : undefined, has('camunda:dueDate') ? attr(el, 'camunda:dueDate') : undefined);
  set('jobType', has('sl:type') ? attr(el, 'sl:type') : undefined, zTask?.type, camundaExternal);
  set('retries', has('sl:retries') ? attr(el, 'sl:retries') : undefined, zTask?.retries);
  set(
    'resultVariable',
    has('sl:resultVariable') ? attr(el, 'sl:resultVariable') : undefined,
    zScript?.resultVariable,
    has('camunda:resultVariable') ? attr(el, 'camunda:resultVariable') : undefined,
  );
  set('scriptExpression', zScript?.expression);
  set('calledElement', zCalled?.processId);
  set(
    'calledVersion',
    has('sl:calledVersion') ? attr(el, 'sl:calledVersion') : undefined,
    has('camunda:calledElementVersion') ? attr(el, 'camunda:calledElementVersion') : undefined,
  );
  set('correlationKey', has('sl:correlationKey') ? attr(el, 'sl:correlationKey') : undefined, zSub?.correlationKey);
  set('recordState', has('sl:state') ? attr(el, 'sl:state') : undefined);
  if (has('sl:propagateAllChildVariables') && el.get('sl:propagateAllChildVariables') === false) ext.propagateAllChildVariables = false;
  else if (zCalled?.propagateAllChildVariables === false) ext.propagateAllChildVariables = false;
  for (const name of ['camunda:class', 'camunda:delegateExpression', 'camunda:expression']) {
    if (has(name) && attr(el, name)) ext.javaImplementation = `${name}="${attr(el, name)}"`;
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
    collection: pick(a('sl:collection'), z?.inputCollection, a('camunda:collection')),
    elementVariable: pick(a('sl:elementVariable'), z?.inputElement, a('camunda:elementVariable')),
    outputCollection: pick(a('sl:outputCollection'), z?.outputCollection),
    outputElement: pick(a('sl:outputElement'), z?.outputElement),
  };
}
