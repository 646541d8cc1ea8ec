// Element-level differences between two BPMN documents (a template and a tenant's copy): which
// elements, by id, one has and the other lacks, and which both have but differently. Only the
// process model counts: moving shapes in the diagram changes nothing.
import { createModdle } from '@serviceloom/engine';

export interface ElementRef {
  id: string;
  type: string;
  name?: string;
}

export interface ElementDiff {
  added: ElementRef[];
  removed: ElementRef[];
  changed: ElementRef[];
}

type El = any;

/** Properties that are structure or drawing, not what an element is. */
const SKIP = new Set(['id', 'flowElements', 'incoming', 'outgoing', 'di', 'lanes', 'laneSets', 'diagrams']);

/** Every element with an id under the document's root elements (processes, messages, errors, ...). */
async function elementsOf(xml: string): Promise<Map<string, { ref: ElementRef; canonical: string }>> {
  const moddle = createModdle('serviceloom') as El;
  const { rootElement } = await moddle.fromXML(xml);
  const out = new Map<string, { ref: ElementRef; canonical: string }>();
  const visit = (el: El) => {
    if (el.id && !String(el.$type).startsWith('bpmndi:')) {
      const ref: ElementRef = { id: el.id, type: String(el.$type).replace(/^bpmn:/, '') };
      if (el.name) ref.name = el.name;
      out.set(el.id, { ref, canonical: JSON.stringify(canonical(el)) });
    }
    for (const child of el.flowElements ?? []) visit(child);
  };
  for (const root of rootElement.rootElements ?? []) visit(root);
  return out;
}

/** An element's own content as plain JSON: references become ids, children are inlined. */
function canonical(el: El): unknown {
  if (el === null || typeof el !== 'object') return el;
  if (Array.isArray(el)) return el.map(canonical);
  const out: Record<string, unknown> = { $type: el.$type };
  for (const [k, v] of Object.entries(el.$attrs ?? {})) if (!k.startsWith('xmlns')) out[`@${k}`] = v;
  const props: Array<{ name: string; isReference?: boolean; isMany?: boolean }> = el.$descriptor?.properties ?? [];
  for (const p of props) {
    if (SKIP.has(p.name) || p.name.startsWith('$')) continue;
    const v = el[p.name];
    if (v === undefined || (Array.isArray(v) && v.length === 0)) continue;
    if (p.isReference) out[p.name] = Array.isArray(v) ? v.map((x: El) => x?.id) : v?.id;
    else out[p.name] = typeof v === 'object' ? canonical(v) : v;
  }
  return out;
}

export async function diffElements(from: string, to: string): Promise<ElementDiff> {
  const [a, b] = await Promise.all([elementsOf(from), elementsOf(to)]);
  const byId = (x: ElementRef, y: ElementRef) => x.id.localeCompare(y.id);
  return {
    added: [...b]
      .filter(([id]) => !a.has(id))
      .map(([, e]) => e.ref)
      .sort(byId),
    removed: [...a]
      .filter(([id]) => !b.has(id))
      .map(([, e]) => e.ref)
      .sort(byId),
    changed: [...b]
      .filter(([id, e]) => a.has(id) && a.get(id)?.canonical !== e.canonical)
      .map(([, e]) => e.ref)
      .sort(byId),
  };
}
