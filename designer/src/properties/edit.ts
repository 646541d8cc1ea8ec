// Every edit the properties panel makes, through bpmn-js `modeling` (so each is one undoable
// command; edits that touch several objects run as one `sl.batch`).
import type { AnyModeler } from '../modeler/create-modeler.ts';
import { type Bo, eventDefinition, inputOutput, type Mapping, type Shape } from './model.ts';

export type RefKind = 'message' | 'signal' | 'error' | 'escalation';

const REF: Record<RefKind, { type: string; prop: string; code?: string }> = {
  message: { type: 'bpmn:Message', prop: 'messageRef' },
  signal: { type: 'bpmn:Signal', prop: 'signalRef' },
  error: { type: 'bpmn:Error', prop: 'errorRef', code: 'errorCode' },
  escalation: { type: 'bpmn:Escalation', prop: 'escalationRef', code: 'escalationCode' },
};

const blank = (v: string | undefined) => (v === undefined || v.trim() === '' ? undefined : v);

export class PropertyEditor {
  private readonly modeling: any;
  private readonly moddle: any;
  private readonly factory: any;
  private readonly batch: { run(fn: () => void): void };

  constructor(private readonly modeler: AnyModeler) {
    this.modeling = modeler.get('modeling');
    this.moddle = modeler.get('moddle');
    this.factory = modeler.get('bpmnFactory');
    this.batch = modeler.get('slBatch');
  }

  /** Sets attributes of the element's business object (`name`, `sl:assignee`, ...); empty text removes them. */
  set(shape: Shape, props: Record<string, string | boolean | undefined>): void {
    const clean = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typeof v === 'string' ? blank(v) : v]));
    this.modeling.updateProperties(shape, clean);
  }

  /** Sets attributes of a nested object (an event definition, loop characteristics). */
  setOn(shape: Shape, target: Bo, props: Record<string, unknown>): void {
    const clean = Object.fromEntries(Object.entries(props).map(([k, v]) => [k, typeof v === 'string' ? blank(v) : v]));
    this.modeling.updateModdleProperties(shape, target, clean);
  }

  expression(body: string | undefined): Bo | undefined {
    return blank(body) === undefined ? undefined : this.moddle.create('bpmn:FormalExpression', { body });
  }

  setDocumentation(shape: Shape, text: string): void {
    const docs = blank(text) === undefined ? [] : [this.moddle.create('bpmn:Documentation', { text })];
    this.modeling.updateProperties(shape, { documentation: docs });
  }

  setCondition(flow: Shape, body: string): void {
    this.modeling.updateProperties(flow, { conditionExpression: this.expression(body) });
  }

  setTimer(shape: Shape, kind: 'duration' | 'date' | 'cycle', value: string): void {
    const def = eventDefinition(shape.businessObject);
    this.setOn(shape, def, {
      timeDuration: kind === 'duration' ? this.expression(value) : undefined,
      timeDate: kind === 'date' ? this.expression(value) : undefined,
      timeCycle: kind === 'cycle' ? this.expression(value) : undefined,
    });
  }

  setConditionalEvent(shape: Shape, body: string): void {
    this.setOn(shape, eventDefinition(shape.businessObject), { condition: this.expression(body) });
  }

  /** Points the event (or receive/send task) at the message, signal, error or escalation of that name/code, creating it if new. */
  setRef(shape: Shape, kind: RefKind, name: string): void {
    const { type, prop, code } = REF[kind];
    const bo = shape.businessObject;
    const owner = kind === 'message' && !bo.eventDefinitions ? bo : eventDefinition(bo);
    const definitions = this.definitions();
    this.batch.run(() => {
      if (blank(name) === undefined) {
        this.setOn(shape, owner, { [prop]: undefined });
        return;
      }
      let ref = (definitions.rootElements ?? []).find((r: Bo) => r.$type === type && (code ? r[code] === name : r.name === name));
      if (!ref) {
        ref = this.factory.create(type, code ? { name, [code]: name } : { name });
        ref.$parent = definitions;
        this.setOn(shape, definitions, { rootElements: [...(definitions.rootElements ?? []), ref] });
      }
      this.setOn(shape, owner, { [prop]: ref });
    });
  }

  /** Existing names (messages, signals) or codes (errors, escalations) of that kind. */
  refNames(kind: RefKind): string[] {
    const { type, code } = REF[kind];
    const roots: Bo[] = this.definitions().rootElements ?? [];
    return roots
      .filter((r) => r.$type === type)
      .map((r) => String((code ? r[code] : r.name) ?? ''))
      .filter(Boolean);
  }

  setLoop(shape: Shape, mode: 'none' | 'parallel' | 'sequential'): void {
    const loop =
      mode === 'none' ? undefined : this.moddle.create('bpmn:MultiInstanceLoopCharacteristics', { isSequential: mode === 'sequential' });
    this.modeling.updateProperties(shape, { loopCharacteristics: loop });
  }

  setLoopAttr(shape: Shape, attr: string, value: string): void {
    const loop = shape.businessObject.loopCharacteristics;
    if (attr === 'completionCondition') this.setOn(shape, loop, { completionCondition: this.expression(value) });
    else this.setOn(shape, loop, { [attr]: value });
  }

  setScript(shape: Shape, body: string): void {
    this.set(shape, { scriptFormat: 'feel', script: body });
  }

  /** Replaces the element's sl:inputOutput mappings (other extension elements are kept). */
  setMappings(shape: Shape, inputs: readonly Mapping[], outputs: readonly Mapping[]): void {
    const bo = shape.businessObject;
    const others = (bo.extensionElements?.values ?? []).filter((v: Bo) => v !== inputOutput(bo));
    const keep = (list: readonly Mapping[]) => list.filter((m) => m.source.trim() || m.target.trim());
    const ins = keep(inputs).map((m) => this.moddle.create('sl:Input', { ...m }));
    const outs = keep(outputs).map((m) => this.moddle.create('sl:Output', { ...m }));
    const values = ins.length || outs.length ? [...others, this.moddle.create('sl:InputOutput', { inputs: ins, outputs: outs })] : others;
    const ext = values.length ? this.moddle.create('bpmn:ExtensionElements', { values }) : undefined;
    this.modeling.updateProperties(shape, { extensionElements: ext });
  }

  private definitions(): Bo {
    return this.modeler.getDefinitions();
  }
}
