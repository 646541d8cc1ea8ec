// Import of Camunda Modeler files: Camunda 7 (`camunda:`) and Camunda 8 (`zeebe:`) attributes are
// rewritten as ServiceLoom (`sl:`) attributes, so the properties panel shows and edits them and the
// saved model uses one dialect. Conditions and expressions are kept as written (the engine reads
// FEEL and the common JUEL forms).
import { createModdle, SL_NAMESPACE } from '@serviceloom/engine';

const CAMUNDA_NS = 'http://camunda.org/schema/1.0/bpmn';
const ZEEBE_NS = 'http://camunda.org/schema/zeebe/1.0';

export type Dialect = 'serviceloom' | 'camunda' | 'zeebe';

export function dialectOf(xml: string): Dialect {
  if (xml.includes(SL_NAMESPACE)) return 'serviceloom';
  if (xml.includes(ZEEBE_NS)) return 'zeebe';
  return xml.includes(CAMUNDA_NS) ? 'camunda' : 'serviceloom';
}
type El = any;

interface Mapping {
  source: string;
  target: string;
}

/** Returns the XML in the `sl` dialect (unchanged when it already is) and what was converted. */
export async function convertToServiceLoom(xml: string): Promise<{ xml: string; from: Dialect }> {
  const from = dialectOf(xml);
  if (from === 'serviceloom') return { xml, from };
  const moddle = createModdle(from) as El;
  const { rootElement } = await moddle.fromXML(xml);
  const definitions = rootElement as El;
  definitions.$attrs['xmlns:sl'] = SL_NAMESPACE;
  const messages = new Map<El, string>();
  for (const root of definitions.rootElements ?? []) {
    if (root.$type === 'bpmn:Message' && from === 'zeebe') {
      const sub = takeExtension(root, 'zeebe:Subscription');
      if (sub?.correlationKey) messages.set(root, sub.correlationKey);
    }
  }
  for (const root of definitions.rootElements ?? []) visit(root);

  function visit(el: El): void {
    convertElement(moddle, el, from, messages);
    for (const child of el.flowElements ?? []) visit(child);
  }
  const out = await moddle.toXML(definitions, { format: true });
  return { xml: out.xml as string, from };
}

function convertElement(moddle: El, el: El, from: Dialect, messages: Map<El, string>): void {
  const set = (name: string, value: unknown) => {
    if (value !== undefined && value !== null && value !== '') el.$attrs[`sl:${name}`] = String(value);
  };
  const inputs: Mapping[] = [];
  const outputs: Mapping[] = [];
  if (from === 'camunda') {
    for (const name of ['assignee', 'candidateGroups', 'formKey', 'dueDate', 'resultVariable']) set(name, take(el, `camunda:${name}`));
    const type = take(el, 'camunda:type');
    const topic = take(el, 'camunda:topic');
    if (type === 'external' && topic) set('type', topic);
    set('calledVersion', take(el, 'camunda:calledElementVersion'));
    const io = takeExtension(el, 'camunda:InputOutput');
    for (const p of io?.inputParameters ?? []) inputs.push(camundaMapping(p));
    for (const p of io?.outputParameters ?? []) outputs.push(camundaMapping(p));
    const loop = el.loopCharacteristics;
    if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
      const collection = take(loop, 'camunda:collection');
      if (collection) loop.$attrs['sl:collection'] = collection;
      const variable = take(loop, 'camunda:elementVariable');
      if (variable) loop.$attrs['sl:elementVariable'] = variable;
    }
  } else {
    const task = takeExtension(el, 'zeebe:TaskDefinition');
    set('type', task?.type);
    set('retries', task?.retries);
    const assign = takeExtension(el, 'zeebe:AssignmentDefinition');
    set('assignee', assign?.assignee);
    set('candidateGroups', assign?.candidateGroups);
    const form = takeExtension(el, 'zeebe:FormDefinition');
    set('formKey', form?.formKey ?? form?.formId);
    const schedule = takeExtension(el, 'zeebe:TaskSchedule');
    set('dueDate', schedule?.dueDate);
    const script = takeExtension(el, 'zeebe:Script');
    if (script?.expression) {
      el.scriptFormat = 'feel';
      el.script = script.expression;
      set('resultVariable', script.resultVariable);
    }
    const called = takeExtension(el, 'zeebe:CalledElement');
    if (called?.processId) el.calledElement = called.processId;
    if (called?.propagateAllChildVariables === false) set('propagateAllChildVariables', 'false');
    const io = takeExtension(el, 'zeebe:IoMapping');
    for (const p of io?.inputParameters ?? []) {
      const source = String(p.source ?? '');
      inputs.push({ source: source.trim().startsWith('=') ? source : JSON.stringify(source), target: String(p.target ?? '') });
    }
    for (const p of io?.outputParameters ?? []) outputs.push({ source: String(p.source ?? ''), target: String(p.target ?? '') });
    const message = el.messageRef ?? el.eventDefinitions?.[0]?.messageRef;
    const key = message ? messages.get(message) : undefined;
    if (key) set('correlationKey', key);
    const loop = el.loopCharacteristics;
    if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
      const z = takeExtension(loop, 'zeebe:LoopCharacteristics');
      for (const [from, to] of [
        ['inputCollection', 'collection'],
        ['inputElement', 'elementVariable'],
        ['outputCollection', 'outputCollection'],
        ['outputElement', 'outputElement'],
      ] as const) {
        if (z?.[from]) loop.$attrs[`sl:${to}`] = z[from];
      }
    }
  }
  if (inputs.length || outputs.length) {
    const children = [
      ...inputs.map((m) => moddle.createAny('sl:input', SL_NAMESPACE, m)),
      ...outputs.map((m) => moddle.createAny('sl:output', SL_NAMESPACE, m)),
    ];
    const io = moddle.createAny('sl:inputOutput', SL_NAMESPACE, { $children: children });
    if (!el.extensionElements) el.extensionElements = moddle.create('bpmn:ExtensionElements', { values: [] });
    el.extensionElements.values = [...(el.extensionElements.values ?? []), io];
  }
  if (el.extensionElements && (el.extensionElements.values ?? []).length === 0) el.extensionElements = undefined;
}

function camundaMapping(p: El): Mapping {
  const value = typeof p.value === 'string' ? p.value : '';
  const source = /^\s*[$#]\{/.test(value) ? value : JSON.stringify(value);
  return { source, target: String(p.name ?? '') };
}

/** Reads a dialect attribute and removes it from the element. */
function take(el: El, name: string): string | undefined {
  const known = el.$descriptor?.propertiesByName?.[name];
  if (!known) return undefined;
  const value = el.get(name);
  el.set(name, undefined);
  return value === undefined || value === null || value === '' ? undefined : String(value);
}

/** Finds a dialect extension element and removes it from the element. */
function takeExtension(el: El, type: string): El | undefined {
  const values: El[] = el.extensionElements?.values ?? [];
  const found = values.find((v) => v.$type === type);
  if (found) el.extensionElements.values = values.filter((v) => v !== found);
  return found;
}
