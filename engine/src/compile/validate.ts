// Graph checks over the built model: structure the executor relies on, and loops that could
// spin without ever waiting.
import { type FlowNode, isActivity } from '../model.ts';
import type { ProcessBuilder } from './build.ts';

/** Elements where a token stops and the step ends (so a loop through them cannot spin). */
function waits(node: FlowNode): boolean {
  switch (node.type) {
    case 'userTask':
    case 'receiveTask':
    case 'callActivity':
    case 'subProcess':
    case 'eventBasedGateway':
    case 'intermediateCatchEvent':
      return node.event?.kind !== 'link';
    case 'serviceTask':
    case 'businessRuleTask':
    case 'sendTask':
    case 'intermediateThrowEvent':
    case 'endEvent':
      return node.job !== undefined;
    default:
      return Boolean(node.loop);
  }
}

export function validateGraph(b: ProcessBuilder, processId: string): void {
  const { nodes, flows, scopes } = b;
  for (const flow of Object.values(flows)) {
    const source = nodes[flow.source] as FlowNode;
    const target = nodes[flow.target] as FlowNode;
    if (source.scope !== target.scope)
      b.error(flow.id, `the sequence flow crosses a subprocess boundary (from "${source.id}" to "${target.id}")`);
    if (target.type === 'startEvent') b.error(flow.id, 'a sequence flow cannot lead into a start event');
    if (target.type === 'boundaryEvent') b.error(flow.id, 'a sequence flow cannot lead into a boundary event');
    if (source.type === 'endEvent') b.error(flow.id, 'a sequence flow cannot leave an end event');
  }
  for (const node of Object.values(nodes)) checkNode(b, node);
  for (const scope of Object.values(scopes)) {
    if (scope.id === processId) {
      const hasStart = Object.values(nodes).some((n) => n.type === 'startEvent' && n.scope === processId);
      if (!hasStart) b.error(processId, 'the process has no start event');
    } else if (!scope.triggeredByEvent && !scope.start) {
      b.error(scope.id, 'the subprocess has no none start event');
    }
  }
  findSpinningLoops(b);
}

function checkNode(b: ProcessBuilder, node: FlowNode): void {
  const { nodes, flows } = b;
  const conditional = (id: string) => flows[id]?.condition !== undefined;
  if (node.type === 'boundaryEvent' && node.attachedTo) {
    const host = nodes[node.attachedTo];
    if (host && !isActivity(host)) b.error(node.id, `a boundary event cannot be attached to a ${host.type}; only to activities`);
    if (host && host.scope !== node.scope) b.error(node.id, 'the boundary event is not in the same scope as its activity');
  }
  if (node.defaultFlow && !node.outgoing.includes(node.defaultFlow)) {
    b.error(node.id, `the default flow "${node.defaultFlow}" does not leave this element`);
  }
  switch (node.type) {
    case 'exclusiveGateway':
    case 'inclusiveGateway':
      if (node.outgoing.length === 0) b.error(node.id, 'the gateway has no outgoing sequence flow');
      if (node.outgoing.length > 1) {
        for (const id of node.outgoing) {
          // A flow whose condition was refused has a problem of its own already.
          if (id !== node.defaultFlow && !conditional(id) && !b.refusedConditions.has(id)) {
            b.error(id, `the flow leaves gateway "${node.id}" with no condition and is not its default flow`);
          }
        }
      }
      break;
    case 'parallelGateway':
      if (node.outgoing.length === 0) b.error(node.id, 'the gateway has no outgoing sequence flow');
      for (const id of node.outgoing) if (conditional(id)) b.warn(id, 'conditions on flows leaving a parallel gateway are ignored');
      break;
    case 'eventBasedGateway':
      if (node.outgoing.length < 2) b.error(node.id, 'an event-based gateway needs at least two outgoing flows');
      for (const id of node.outgoing) {
        const target = nodes[flows[id]?.target ?? ''];
        const ok = target && (target.type === 'receiveTask' || (target.type === 'intermediateCatchEvent' && target.event?.kind !== 'link'));
        if (!ok) b.error(id, 'an event-based gateway may lead only to message, timer, signal or conditional catch events or receive tasks');
        else if (target.incoming.length > 1) b.error(target.id, 'an event after an event-based gateway must have no other incoming flow');
      }
      break;
    case 'startEvent':
      if (node.incoming.length) b.error(node.id, 'a start event cannot have incoming sequence flows');
      break;
    case 'intermediateThrowEvent':
      if (node.event?.kind === 'link') linkTarget(b, node);
      break;
    case 'intermediateCatchEvent':
      if (node.event?.kind === 'link' && node.incoming.length) b.error(node.id, 'a link catch event cannot have incoming sequence flows');
      break;
    case 'subProcess':
      if (node.inner?.triggeredByEvent) checkEventSubprocess(b, node);
      break;
    default:
  }
  const entered =
    node.type === 'startEvent' || node.type === 'boundaryEvent' || node.event?.kind === 'link' || b.scopes[node.id]?.triggeredByEvent;
  if (!entered && node.incoming.length === 0) b.warn(node.id, 'no sequence flow leads to this element, so it never runs');
}

function linkTarget(b: ProcessBuilder, node: FlowNode): void {
  const name = node.event?.name;
  const targets = Object.values(b.nodes).filter(
    (n) => n.type === 'intermediateCatchEvent' && n.event?.kind === 'link' && n.event.name === name && n.scope === node.scope,
  );
  if (targets.length !== 1) {
    b.error(
      node.id,
      targets.length ? `several link catch events are named "${name}"` : `no link catch event named "${name}" in the same scope`,
    );
    return;
  }
  (node as { linkTarget?: string }).linkTarget = targets[0]?.id;
}

function checkEventSubprocess(b: ProcessBuilder, node: FlowNode): void {
  if (node.incoming.length || node.outgoing.length) b.error(node.id, 'an event subprocess cannot have incoming or outgoing sequence flows');
  const starts = Object.values(b.nodes).filter((n) => n.type === 'startEvent' && n.scope === node.id);
  if (starts.length !== 1) b.error(node.id, 'an event subprocess needs exactly one start event');
  for (const s of starts) {
    const kind = s.event?.kind;
    if (kind === 'none' || kind === 'conditional')
      b.error(s.id, `the start event of an event subprocess needs a timer, message, signal, error or escalation trigger`);
    if (kind === 'error' && !s.interrupting) b.error(s.id, 'an error start event always interrupts');
  }
}

/** Tarjan's strongly connected components over elements that never wait. */
function findSpinningLoops(b: ProcessBuilder): void {
  const { nodes, flows } = b;
  const successors = (n: FlowNode): string[] => {
    const next = n.outgoing.map((f) => flows[f]?.target as string);
    if (n.linkTarget) next.push(n.linkTarget);
    return next.filter((t) => nodes[t] && !waits(nodes[t] as FlowNode));
  };
  let index = 0;
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  // Depth-first with an explicit stack (a chain of thousands of automatic elements is a chain of
  // thousands of calls otherwise); each frame is a node and how far through its successors it is.
  const visit = (root: string) => {
    const open = (v: string) => {
      idx.set(v, index);
      low.set(v, index++);
      stack.push(v);
      onStack.add(v);
      return { v, next: successors(nodes[v] as FlowNode), i: 0 };
    };
    const frames = [open(root)];
    while (frames.length) {
      const frame = frames[frames.length - 1] as { v: string; next: string[]; i: number };
      const { v } = frame;
      if (frame.i < frame.next.length) {
        const w = frame.next[frame.i++] as string;
        if (!idx.has(w)) frames.push(open(w));
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v) as number, idx.get(w) as number));
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.v, Math.min(low.get(parent.v) as number, low.get(v) as number));
      if (low.get(v) === idx.get(v)) {
        const comp: string[] = [];
        let w: string;
        do {
          w = stack.pop() as string;
          onStack.delete(w);
          comp.push(w);
        } while (w !== v);
        components.push(comp);
      }
    }
  };
  for (const n of Object.values(nodes)) if (!waits(n) && !idx.has(n.id)) visit(n.id);
  for (const comp of components) {
    const members = new Set(comp);
    const only = comp[0] as string;
    const selfLoop = comp.length === 1 && successors(nodes[only] as FlowNode).includes(only);
    if (comp.length === 1 && !selfLoop) continue;
    const ordered = [...comp].sort();
    const exits = comp.some((id) => (nodes[id] as FlowNode).outgoing.some((f) => !members.has(flows[f]?.target as string)));
    const list = ordered.join(', ');
    if (exits)
      b.warn(ordered[0] as string, `the loop through ${list} has no wait state; it can spin until the engine's step limit stops it`);
    else b.error(ordered[0] as string, `the loop through ${list} has no wait state and no way out: it would spin forever`);
  }
}

/** For each inclusive join, the elements from which a token could still reach each incoming flow. */
export function computeUpstream(b: ProcessBuilder): void {
  const { nodes, flows } = b;
  const predecessors = (n: FlowNode): string[] => {
    const prev = n.incoming.map((f) => flows[f]?.source as string);
    if (n.type === 'boundaryEvent' && n.attachedTo) prev.push(n.attachedTo);
    if (n.type === 'intermediateCatchEvent' && n.event?.kind === 'link') {
      for (const t of Object.values(nodes)) if (t.linkTarget === n.id) prev.push(t.id);
    }
    return prev.filter((p) => nodes[p]);
  };
  for (const node of Object.values(nodes)) {
    if (node.type !== 'inclusiveGateway' || node.incoming.length < 2) continue;
    const upstream: Record<string, string[]> = {};
    for (const flowId of node.incoming) {
      const seen = new Set<string>();
      const todo = [flows[flowId]?.source as string];
      while (todo.length) {
        const id = todo.pop() as string;
        if (id === node.id || seen.has(id)) continue;
        seen.add(id);
        todo.push(...predecessors(nodes[id] as FlowNode));
      }
      upstream[flowId] = [...seen];
    }
    (node as { upstream?: Record<string, string[]> }).upstream = upstream;
  }
}
