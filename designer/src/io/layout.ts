// Diagrams without layout (templates, imports from tools that write no DI) are laid out with
// bpmn-auto-layout rather than opening on an empty canvas.
import { createModdle } from '@serviceloom/engine';
import { layoutProcess } from 'bpmn-auto-layout';
import { convertToServiceLoom } from './convert.ts';

/** Whether the document has no diagram interchange for its elements. */
export function needsLayout(xml: string): boolean {
  return !/<(\w+:)?BPMNShape\b/.test(xml);
}

export async function layoutIfNeeded(xml: string): Promise<{ xml: string; laidOut: boolean }> {
  if (!needsLayout(xml)) return { xml, laidOut: false };
  return { xml: await layoutProcess(await withFlowRefs(xml)), laidOut: true };
}

/** Everything an imported file goes through: dialect conversion, then layout. */
export async function prepareForEditing(xml: string): Promise<{ xml: string; from: string; laidOut: boolean }> {
  const converted = await convertToServiceLoom(xml);
  const laid = await layoutIfNeeded(converted.xml);
  return { xml: laid.xml, from: converted.from, laidOut: laid.laidOut };
}
type El = any;

/** bpmn-auto-layout follows `incoming`/`outgoing`; hand-written XML often lists only the flows. */
async function withFlowRefs(xml: string): Promise<string> {
  const moddle = createModdle('serviceloom') as El;
  const { rootElement } = await moddle.fromXML(xml);
  const visit = (container: El) => {
    const elements: El[] = container.flowElements ?? [];
    for (const flow of elements.filter((e) => e.$type === 'bpmn:SequenceFlow')) {
      const { sourceRef: source, targetRef: target } = flow;
      if (source) source.outgoing = [...new Set([...(source.outgoing ?? []), flow])];
      if (target) target.incoming = [...new Set([...(target.incoming ?? []), flow])];
    }
    for (const el of elements) if (el.flowElements) visit(el);
  };
  for (const root of rootElement.rootElements ?? []) visit(root);
  return (await moddle.toXML(rootElement)).xml;
}
