// Reading the business objects the panel edits: sl attributes, event definitions, mappings, and the
// variables a FEEL field can refer to.
export type Bo = any;
export type Shape = any;

export const is = (bo: Bo, type: string): boolean => Boolean(bo?.$instanceOf?.(type));

export function eventDefinition(bo: Bo): Bo | undefined {
  return bo?.eventDefinitions?.[0];
}

export type EventKind = 'message' | 'timer' | 'signal' | 'error' | 'escalation' | 'conditional' | 'link' | 'terminate' | 'none';

export function eventKind(bo: Bo): EventKind {
  const def = eventDefinition(bo);
  if (!def) return 'none';
  const name = String(def.$type).replace('bpmn:', '').replace('EventDefinition', '');
  return (name.charAt(0).toLowerCase() + name.slice(1)) as EventKind;
}

export interface Mapping {
  source: string;
  target: string;
}

export function inputOutput(bo: Bo): Bo | undefined {
  return (bo?.extensionElements?.values ?? []).find((v: Bo) => v.$type === 'sl:InputOutput');
}

export function mappings(bo: Bo): { inputs: Mapping[]; outputs: Mapping[] } {
  const io = inputOutput(bo);
  const read = (list: Bo[] | undefined) => (list ?? []).map((m) => ({ source: String(m.source ?? ''), target: String(m.target ?? '') }));
  return { inputs: read(io?.inputs), outputs: read(io?.outputs) };
}

export function documentation(bo: Bo): string {
  return (bo?.documentation ?? []).map((d: Bo) => d.text ?? '').join('\n');
}

export function expressionBody(expr: Bo | undefined): string {
  return expr?.body === undefined ? '' : String(expr.body);
}

/** Variable names the model itself defines (outputs, result variables, multi-instance names), sorted. */
export function variablesInModel(definitions: Bo, extra: readonly string[] = []): string[] {
  const names = new Set<string>(extra);
  const visit = (el: Bo) => {
    if (!el) return;
    const result = el.get?.('sl:resultVariable');
    if (result) names.add(String(result));
    for (const m of [...mappings(el).outputs, ...mappings(el).inputs]) if (m.target) names.add(m.target);
    const loop = el.loopCharacteristics;
    if (loop?.$type === 'bpmn:MultiInstanceLoopCharacteristics') {
      for (const attr of ['sl:elementVariable', 'sl:outputCollection']) {
        const v = loop.get(attr);
        if (v) names.add(String(v));
      }
      names.add('loopCounter');
    }
    for (const child of el.flowElements ?? []) visit(child);
  };
  for (const root of definitions?.rootElements ?? []) visit(root);
  return [...names].sort();
}
