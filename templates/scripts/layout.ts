// Draws the diagram interchange (DI) of the template BPMN files, so they open laid out in the
// designer: `npx tsx templates/scripts/layout.ts [name]`. Run it after changing a file's process;
// it replaces the file's diagram and keeps its process as it is.
//
// Why not bpmn-auto-layout (the designer's layout for imports without DI): it draws subprocesses
// collapsed, overlapping their content with the process, and fails on some of these graphs (a
// gateway with several incoming flows in a loop). This is the same idea, a grid, per container:
// - columns by longest path from the start (flows going back, found by a depth-first walk, do
//   not count), rows by that walk: a node's first successor stays on its row, the others go below;
//   the targets of boundary events go below their host;
// - a subprocess is drawn expanded around its own grid, and the column and row holding it grow;
// - flows are routed orthogonally, choosing the first path that crosses no other shape.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModdle } from '@serviceloom/engine';

const dir = join(import.meta.dirname, '..', 'bpmn');
const CELL_W = 150;
const CELL_H = 130;
const PAD = 30;

type El = any;
interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
type Path = [number, number][];

const isBoundary = (e: El) => e.$type === 'bpmn:BoundaryEvent';
const isFlow = (e: El) => e.$type === 'bpmn:SequenceFlow';
const isSubprocess = (e: El) => e.$type === 'bpmn:SubProcess';

function sizeOf(e: El): { width: number; height: number } {
  if (/Event$/.test(e.$type)) return { width: 36, height: 36 };
  if (/Gateway$/.test(e.$type)) return { width: 50, height: 50 };
  return { width: 100, height: 80 };
}

/** Grid cells of a container's nodes (boundary events excluded: they sit on their host). */
function grid(container: El): Map<string, { col: number; row: number }> {
  const elements: El[] = container.flowElements ?? [];
  const nodes = elements.filter((e) => !isFlow(e) && !isBoundary(e));
  const next = new Map<string, { target: string; below: boolean }[]>();
  for (const n of nodes) next.set(n.id, []);
  for (const f of elements.filter(isFlow)) {
    const source = isBoundary(f.sourceRef) ? f.sourceRef.attachedToRef.id : f.sourceRef.id;
    next.get(source)?.push({ target: f.targetRef.id, below: isBoundary(f.sourceRef) });
  }
  // A node's own flows before its boundary events' flows: the main path stays on the row.
  for (const list of next.values()) list.sort((a, b) => Number(a.below) - Number(b.below));
  // Depth-first from the start events (then anything not reached): order, and the flows going back.
  const back = new Set<string>();
  const order: string[] = [];
  const state = new Map<string, 'open' | 'done'>();
  const walk = (id: string) => {
    state.set(id, 'open');
    order.push(id);
    for (const { target } of next.get(id) ?? []) {
      if (state.get(target) === 'open') back.add(`${id}>${target}`);
      else if (!state.has(target)) walk(target);
    }
    state.set(id, 'done');
  };
  const starts = nodes.filter((n) => n.$type === 'bpmn:StartEvent');
  for (const n of [...starts, ...nodes]) if (!state.has(n.id)) walk(n.id);
  // Columns: longest path over the forward flows.
  const col = new Map<string, number>(nodes.map((n) => [n.id, 0]));
  for (let changed = true; changed; ) {
    changed = false;
    for (const id of order) {
      for (const { target } of next.get(id) ?? []) {
        if (back.has(`${id}>${target}`)) continue;
        const c = (col.get(id) as number) + 1;
        if (c > (col.get(target) as number)) {
          col.set(target, c);
          changed = true;
        }
      }
    }
  }
  // Rows: the first successor keeps the row, the others (and boundary targets) go below.
  const cells = new Map<string, { col: number; row: number }>();
  const taken = new Set<string>();
  const place = (id: string, wanted: number) => {
    let row = wanted;
    while (taken.has(`${col.get(id)},${row}`)) row++;
    taken.add(`${col.get(id)},${row}`);
    cells.set(id, { col: col.get(id) as number, row });
  };
  const visit = (id: string, wanted: number) => {
    place(id, wanted);
    const row = cells.get(id)?.row as number;
    let k = 0;
    for (const { target, below } of next.get(id) ?? []) {
      if (cells.has(target)) continue;
      visit(target, below ? row + 1 : row + k);
      k++;
    }
  };
  for (const n of [...starts, ...nodes]) if (!cells.has(n.id)) visit(n.id, 0);
  return cells;
}

async function layout(xml: string): Promise<string> {
  const moddle = createModdle('serviceloom') as El;
  const { rootElement } = await moddle.fromXML(xml);
  const bpmnProcess = rootElement.rootElements.find((e: El) => e.$type === 'bpmn:Process');
  const boxes = new Map<string, Box>();
  const expanded = new Set<string>();

  /** Sizes a container's content, innermost first; place() then positions it. */
  const measure = (container: El) => {
    const cells = grid(container);
    const cols: number[] = [];
    const rows: number[] = [];
    const children = (container.flowElements ?? [])
      .filter((e: El) => !isFlow(e) && !isBoundary(e))
      .map((node: El) => {
        const { col, row } = cells.get(node.id) as { col: number; row: number };
        const inner = isSubprocess(node) ? measure(node) : undefined;
        const size = inner ? { width: inner.width + 2 * PAD, height: inner.height + 2 * PAD } : sizeOf(node);
        cols[col] = Math.max(cols[col] ?? CELL_W, size.width + 50);
        rows[row] = Math.max(rows[row] ?? CELL_H, size.height + 60);
        return { node, col, row, ...size, inner };
      });
    const widths = Array.from(cols, (w) => w ?? CELL_W);
    const heights = Array.from(rows, (h) => h ?? CELL_H);
    const before = (list: number[], i: number) => list.slice(0, i).reduce((a, b) => a + b, 0);
    return {
      width: widths.reduce((a, b) => a + b, 0),
      height: heights.reduce((a, b) => a + b, 0),
      place(x0: number, y0: number) {
        for (const c of children) {
          // Left in a wide column (one a subprocess widened), so flows stay short.
          const x = x0 + before(widths, c.col) + (c.inner ? 25 : (CELL_W - c.width) / 2);
          const y = y0 + before(heights, c.row) + (heights[c.row] - c.height) / 2;
          boxes.set(c.node.id, { x: Math.round(x), y: Math.round(y), width: c.width, height: c.height });
          if (c.inner) {
            expanded.add(c.node.id);
            c.inner.place(Math.round(x) + PAD, Math.round(y) + PAD);
          }
        }
      },
    };
  };
  measure(bpmnProcess).place(0, 0);

  const all: El[] = [];
  const parentOf = new Map<string, string>();
  const collect = (c: El) => {
    for (const e of c.flowElements ?? []) {
      all.push(e);
      parentOf.set(e.id, c.id);
      if (e.flowElements) collect(e);
    }
  };
  collect(bpmnProcess);

  // Boundary events sit on their host's bottom edge, spread evenly.
  const byHost = new Map<string, El[]>();
  for (const e of all.filter(isBoundary)) byHost.set(e.attachedToRef.id, [...(byHost.get(e.attachedToRef.id) ?? []), e]);
  for (const [hostId, list] of byHost) {
    const host = boxes.get(hostId) as Box;
    list.forEach((e, i) => {
      const x = Math.round(host.x + (host.width * (i + 1)) / (list.length + 1) - 18);
      boxes.set(e.id, { x, y: host.y + host.height - 18, width: 36, height: 36 });
    });
  }

  const planeElements: El[] = [];
  for (const e of all.filter((x) => !isFlow(x))) {
    const b = boxes.get(e.id) as Box;
    const shape = moddle.create('bpmndi:BPMNShape', { id: `${e.id}_di`, bpmnElement: e, bounds: moddle.create('dc:Bounds', b) });
    if (expanded.has(e.id)) shape.isExpanded = true;
    if (e.$type === 'bpmn:ExclusiveGateway') shape.isMarkerVisible = true;
    planeElements.push(shape);
  }
  for (const flow of all.filter(isFlow)) {
    const s = boxes.get(flow.sourceRef.id) as Box;
    const t = boxes.get(flow.targetRef.id) as Box;
    const skip = new Set([flow.sourceRef.id, flow.targetRef.id]);
    for (let p = parentOf.get(flow.sourceRef.id); p; p = parentOf.get(p)) skip.add(p);
    const obstacles = [...boxes].filter(([id]) => !skip.has(id)).map(([, b]) => b);
    const options = candidates(s, t, isBoundary(flow.sourceRef));
    const path = options.find((c) => !collides(c, obstacles)) ?? (options[0] as Path);
    const waypoint = path.map(([x, y]) => moddle.create('dc:Point', { x, y }));
    planeElements.push(moddle.create('bpmndi:BPMNEdge', { id: `${flow.id}_di`, bpmnElement: flow, waypoint }));
  }
  const plane = moddle.create('bpmndi:BPMNPlane', { id: `${bpmnProcess.id}_plane`, bpmnElement: bpmnProcess, planeElement: planeElements });
  rootElement.diagrams = [moddle.create('bpmndi:BPMNDiagram', { id: `${bpmnProcess.id}_diagram`, plane })];
  return (await moddle.toXML(rootElement, { format: true })).xml;
}

const cx = (b: Box) => b.x + b.width / 2;
const cy = (b: Box) => b.y + b.height / 2;

/** Orthogonal paths from s to t, preferred first. */
function candidates(s: Box, t: Box, fromBoundary: boolean): Path[] {
  const over = Math.min(s.y, t.y) - 20;
  const under = Math.max(s.y + s.height, t.y + t.height) + 40; // clear of event labels
  if (fromBoundary) {
    const bottom = s.y + s.height;
    return [
      [
        [cx(s), bottom],
        [cx(s), cy(t)],
        [t.x, cy(t)],
      ],
      [
        [cx(s), bottom],
        [cx(s), t.y - 20],
        [cx(t), t.y - 20],
        [cx(t), t.y],
      ],
      [
        [cx(s), bottom],
        [cx(s), bottom + 20],
        [t.x - 20, bottom + 20],
        [t.x - 20, cy(t)],
        [t.x, cy(t)],
      ],
    ];
  }
  const list: Path[] = [];
  if (t.x >= s.x + s.width) {
    if (cy(s) === cy(t))
      list.push([
        [s.x + s.width, cy(s)],
        [t.x, cy(t)],
      ]);
    else {
      const down = cy(t) > cy(s);
      const mid = Math.round((s.x + s.width + t.x) / 2);
      list.push([
        [cx(s), down ? s.y + s.height : s.y],
        [cx(s), cy(t)],
        [t.x, cy(t)],
      ]);
      list.push([
        [s.x + s.width, cy(s)],
        [mid, cy(s)],
        [mid, cy(t)],
        [t.x, cy(t)],
      ]);
      list.push([
        [s.x + s.width, cy(s)],
        [cx(t), cy(s)],
        [cx(t), down ? t.y : t.y + t.height],
      ]);
    }
  }
  // Around: loops go back over the top; blocked forward flows go under the bottom.
  const overPath: Path = [
    [cx(s), s.y],
    [cx(s), over],
    [cx(t), over],
    [cx(t), t.y],
  ];
  const underPath: Path = [
    [cx(s), s.y + s.height],
    [cx(s), under],
    [cx(t), under],
    [cx(t), t.y + t.height],
  ];
  if (t.x >= s.x + s.width) list.push(underPath, overPath);
  else list.push(overPath, underPath);
  return list;
}

/** Whether a path crosses a shape (touching its border is fine). */
function collides(path: Path, boxes: Box[]): boolean {
  for (let i = 1; i < path.length; i++) {
    const [x1, y1] = path[i - 1] as [number, number];
    const [x2, y2] = path[i] as [number, number];
    const [lx, hx, ly, hy] = [Math.min(x1, x2), Math.max(x1, x2), Math.min(y1, y2), Math.max(y1, y2)];
    for (const b of boxes) {
      if (hx > b.x + 1 && lx < b.x + b.width - 1 && hy > b.y + 1 && ly < b.y + b.height - 1) return true;
    }
  }
  return false;
}

for (const file of readdirSync(dir).filter((f) => f.endsWith('.bpmn'))) {
  if (process.argv[2] && !file.includes(process.argv[2])) continue;
  const path = join(dir, file);
  writeFileSync(path, await layout(readFileSync(path, 'utf8')));
  console.log(`laid out ${file}`);
}
