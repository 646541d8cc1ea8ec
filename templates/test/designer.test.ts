// @vitest-environment happy-dom
// Every template opens in the designer's Modeler as it is (its own diagram, no layout on import)
// without import warnings, every flow element drawn, and saves back to the same flow.
import { createModeler, needsLayout } from '@serviceloom/designer';
import { compile } from '@serviceloom/engine';
import { afterEach, describe, expect, test } from 'vitest';
import { PROCESS_TEMPLATES, templateVersionOf } from '../src/index.ts';

// What happy-dom lacks for diagram-js to render (the designer's own tests polyfill the same).
function installSvgPolyfills(): void {
  const svg = document.createElementNS('http://www.w3.org/2000/svg', 'svg');
  const g = document.createElementNS('http://www.w3.org/2000/svg', 'g');
  const listProto = Object.getPrototypeOf((g as SVGGElement).transform.baseVal);
  if (!listProto.consolidate) {
    listProto.consolidate = function consolidate(this: SVGTransformList) {
      if (this.numberOfItems === 0) return null;
      let matrix = svg.createSVGMatrix();
      for (let i = 0; i < this.numberOfItems; i++) matrix = matrix.multiply(this.getItem(i).matrix);
      const t = svg.createSVGTransform();
      t.setMatrix(matrix);
      this.clear();
      this.appendItem(t);
      return t;
    };
  }
  const proto = SVGElement.prototype as unknown as Record<string, unknown>;
  proto.getBBox = () => ({ x: 0, y: 0, width: 100, height: 20 });
  proto.getComputedTextLength ??= () => 50;
}
installSvgPolyfills();

afterEach(() => {
  document.body.innerHTML = '';
});

describe.each(PROCESS_TEMPLATES.map((p) => [p.key, p] as const))('%s in the designer', (_key, template) => {
  test('imports without warnings, with every flow element drawn and subprocesses expanded', async () => {
    expect(needsLayout(template.bpmn)).toBe(false);
    const container = document.createElement('div');
    document.body.appendChild(container);
    const modeler = createModeler({ container });
    const { warnings } = await modeler.importXML(template.bpmn);
    expect(warnings.map((w: { message: string }) => w.message)).toEqual([]);

    const registry = modeler.get('elementRegistry');
    const ids: string[] = [];
    const visit = (container: { flowElements?: { id: string; flowElements?: unknown }[] }) => {
      for (const e of container.flowElements ?? []) {
        ids.push(e.id);
        visit(e as typeof container);
      }
    };
    const process = modeler.getDefinitions().rootElements.find((e: { $type: string }) => e.$type === 'bpmn:Process');
    visit(process);
    expect(ids.filter((id) => !registry.get(id))).toEqual([]);
    for (const id of ids) {
      const shape = registry.get(id);
      if (shape.type === 'bpmn:SubProcess') expect(shape.collapsed, id).toBe(false);
    }

    // Saved back unchanged, it is still the same flow: the designer keeps every sl: attribute.
    const { xml } = await modeler.saveXML({ format: true });
    const [before, after] = await Promise.all([compile(template.bpmn), compile(xml)]);
    const states = (d: typeof before) => Object.values(d.nodes).map((n) => [n.id, n.type, n.recordState]);
    expect(states(after)).toEqual(states(before));
    expect(after.warnings).toEqual([]);
    // ... and the template release it was made from (how an upgrade is offered).
    expect(templateVersionOf(xml)).toBe(template.version);
  });
});
