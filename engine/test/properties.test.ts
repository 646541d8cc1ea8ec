// Property tests: random well-formed processes driven by random command schedules. Whatever the
// process and the schedule, execute() is deterministic, survives a JSON round trip of the state,
// never changes its input, ends with nothing left open, and joins each parallel split once.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type Command,
  compile,
  type Definition,
  type Effect,
  execute,
  type HistoryEvent,
  type InstanceState,
  openWaits,
} from '../src/index.ts';
import { assertJsonRoundTrip, bpmn, deepFreeze, flow, T0 } from './harness.ts';

// ---- random processes ----------------------------------------------------------------------

type Boundary = 'none' | 'interrupting' | 'nonInterrupting';

/** A block of a process: one element, or a gateway pair or subprocess around nested sequences. */
type Block =
  | { k: 'user' | 'service'; boundary: Boundary }
  | { k: 'script' | 'timer' }
  | { k: 'xor' | 'par'; branches: Block[][] }
  | { k: 'sub'; body: Block[]; boundary: Boundary };

const boundaryArb = fc.constantFrom<Boundary>('none', 'none', 'interrupting', 'nonInterrupting');

const leafArb: fc.Arbitrary<Block> = fc.oneof(
  fc.record({ k: fc.constantFrom<'user' | 'service'>('user', 'service'), boundary: boundaryArb }),
  fc.record({ k: fc.constantFrom<'script' | 'timer'>('script', 'timer') }),
);

function blockArb(depth: number): fc.Arbitrary<Block> {
  if (depth === 0) return leafArb;
  const sequence = fc.array(blockArb(depth - 1), { maxLength: 3 });
  return fc.oneof(
    { weight: 2, arbitrary: leafArb },
    {
      weight: 1,
      arbitrary: fc.record({
        k: fc.constantFrom<'xor' | 'par'>('xor', 'par'),
        branches: fc.array(sequence, { minLength: 2, maxLength: 3 }),
      }),
    },
    { weight: 1, arbitrary: fc.record({ k: fc.constant<'sub'>('sub'), body: sequence, boundary: boundaryArb }) },
  );
}

const processArb = fc.array(blockArb(2), { minLength: 1, maxLength: 5 });

/** The BPMN of a process: start, the blocks in sequence, end. Exclusive gateways route on `v`. */
function toBpmn(blocks: Block[]): string {
  let n = 0;
  const next = (prefix: string) => `${prefix}${++n}`;
  const timer = (duration: string) =>
    `<bpmn:timerEventDefinition><bpmn:timeDuration>${duration}</bpmn:timeDuration></bpmn:timerEventDefinition>`;

  /** Flows from `from` through the blocks to `to`; the first flow may be given an id and a condition. */
  function chain(seq: Block[], from: string, to: string, first: { id?: string; condition?: string } = {}): string {
    let xml = '';
    let prev = from;
    let firstFlow: { id?: string; condition?: string } | undefined = first;
    const link = (target: string) => {
      xml += flow(firstFlow?.id ?? next('f'), prev, target, firstFlow?.condition);
      firstFlow = undefined;
    };
    for (const b of seq) {
      const built = block(b);
      xml += built.xml;
      link(built.entry);
      prev = built.exit;
    }
    link(to);
    return xml;
  }

  /** A timer on the activity: interrupting ones continue where the activity would; others end. */
  function withBoundary(id: string, xml: string, boundary: Boundary) {
    if (boundary === 'none') return { xml, entry: id, exit: id };
    const b = next('b');
    const interrupting = boundary === 'interrupting';
    xml += `<bpmn:boundaryEvent id="${b}" attachedToRef="${id}" cancelActivity="${interrupting}">${timer('PT1H')}</bpmn:boundaryEvent>`;
    const after = interrupting ? next('m') : next('be');
    xml += interrupting ? `<bpmn:exclusiveGateway id="${after}"/>${flow(next('f'), id, after)}` : `<bpmn:endEvent id="${after}"/>`;
    xml += flow(next('f'), b, after);
    return { xml, entry: id, exit: interrupting ? after : id };
  }

  function block(b: Block): { xml: string; entry: string; exit: string } {
    switch (b.k) {
      case 'user': {
        const id = next('user');
        return withBoundary(id, `<bpmn:userTask id="${id}"/>`, b.boundary);
      }
      case 'service': {
        const id = next('job');
        return withBoundary(id, `<bpmn:serviceTask id="${id}" sl:type="work" sl:retries="2"/>`, b.boundary);
      }
      case 'script': {
        const id = next('script');
        const xml = `<bpmn:scriptTask id="${id}" scriptFormat="feel" sl:resultVariable="${id}"><bpmn:script>v * 2</bpmn:script></bpmn:scriptTask>`;
        return { xml, entry: id, exit: id };
      }
      case 'timer': {
        const id = next('wait');
        return { xml: `<bpmn:intermediateCatchEvent id="${id}">${timer('PT30M')}</bpmn:intermediateCatchEvent>`, entry: id, exit: id };
      }
      case 'xor': {
        const split = next('xsplit');
        const merge = next('xmerge');
        const defaultFlow = next('f');
        let xml = `<bpmn:exclusiveGateway id="${split}" default="${defaultFlow}"/><bpmn:exclusiveGateway id="${merge}"/>`;
        b.branches.forEach((branch, i) => {
          const last = i === b.branches.length - 1;
          xml += chain(branch, split, merge, last ? { id: defaultFlow } : { condition: `v = ${i}` });
        });
        return { xml, entry: split, exit: merge };
      }
      case 'par': {
        const split = next('psplit');
        const join = next('pjoin');
        let xml = `<bpmn:parallelGateway id="${split}"/><bpmn:parallelGateway id="${join}"/>`;
        for (const branch of b.branches) xml += chain(branch, split, join);
        return { xml, entry: split, exit: join };
      }
      case 'sub': {
        const id = next('sub');
        const start = next('s');
        const end = next('e');
        const inner = `<bpmn:startEvent id="${start}"/>${chain(b.body, start, end)}<bpmn:endEvent id="${end}"/>`;
        return withBoundary(id, `<bpmn:subProcess id="${id}">${inner}</bpmn:subProcess>`, b.boundary);
      }
    }
  }

  return bpmn(`<bpmn:startEvent id="start"/>${chain(blocks, 'start', 'end')}<bpmn:endEvent id="end"/>`);
}

// ---- random schedules -----------------------------------------------------------------------

/** One step of a schedule: which open wait or fault to act on, how, and the value of `v` to set. */
interface Choice {
  pick: number;
  action: number;
  value: number;
}

const scheduleArb = fc.array(fc.record({ pick: fc.nat(), action: fc.nat({ max: 99 }), value: fc.nat({ max: 2 }) }), { maxLength: 30 });

/** The command a choice makes of the instance's current state; undefined when nothing is open. */
function commandFor(state: InstanceState, c: Choice): Command | undefined {
  if (c.action < 3) return { type: 'cancel' };
  const options = [...openWaits(state).map((w) => ({ wait: w })), ...Object.values(state.faults).map((f) => ({ fault: f }))];
  const chosen = options[c.pick % Math.max(1, options.length)];
  if (!chosen) return undefined;
  if ('fault' in chosen) return { type: 'retryFault', faultId: chosen.fault.id };
  const w = chosen.wait;
  switch (w.kind) {
    case 'task':
      return { type: 'completeTask', taskId: w.id, variables: { v: c.value } };
    case 'job':
      if (c.action < 20) return { type: 'failJob', jobId: w.id, retries: c.value % 2, message: 'worker down' };
      return { type: 'completeJob', jobId: w.id, variables: { v: c.value } };
    case 'timer':
      return { type: 'timerFired', timerId: w.id };
    default:
      throw new Error(`the generated processes open no ${w.kind} waits`);
  }
}

interface Trace {
  commands: Command[];
  states: InstanceState[];
  effects: Effect[];
  history: HistoryEvent[];
}

/**
 * Starts an instance and applies the schedule, then drains it (completes whatever is open,
 * retries faults) so it ends. Every state passed in is deep-frozen: execute must not write to it.
 * With `roundTripAt`, the state is replaced by its JSON copy before that step.
 */
function runSchedule(def: Definition, v: number, schedule: Choice[], roundTripAt = -1): Trace {
  const trace: Trace = { commands: [], states: [], effects: [], history: [] };
  let now = T0;
  let state: InstanceState | undefined;
  const apply = (command: Command) => {
    if (command.type === 'timerFired') now = Math.max(now, Date.parse(state?.waits[command.timerId]?.dueAt as string));
    const result = execute(def, state ? deepFreeze(state) : undefined, deepFreeze(command), now);
    assertJsonRoundTrip(result.state);
    trace.commands.push(command);
    trace.states.push(result.state);
    trace.effects.push(...result.effects);
    trace.history.push(...result.history);
    state = result.state;
    now += 60_000;
  };
  apply({ type: 'start', instanceId: 'pi', variables: { v } });
  const drain = Array.from({ length: 200 }, () => ({ pick: 0, action: 99, value: 0 }));
  for (const [i, choice] of [...schedule, ...drain].entries()) {
    const current = state as InstanceState;
    if (current.status !== 'active') break;
    if (i === roundTripAt) state = JSON.parse(JSON.stringify(current)) as InstanceState;
    const command = commandFor(state as InstanceState, choice);
    if (!command) break;
    apply(command);
  }
  return trace;
}

// ---- invariants -----------------------------------------------------------------------------

/** Counts, per id, how often something was opened and closed. */
function ledger() {
  const opened = new Map<string, number>();
  const closed = new Map<string, number>();
  const bump = (m: Map<string, number>, id: string) => m.set(id, (m.get(id) ?? 0) + 1);
  return {
    open: (id: string) => bump(opened, id),
    close: (id: string) => bump(closed, id),
    /** Ids not closed exactly once, or closed without being opened. */
    unbalanced: () => [...new Set([...opened.keys(), ...closed.keys()])].filter((id) => !opened.has(id) || closed.get(id) !== 1),
  };
}

/** Everything opened was closed once: by completion, firing, resolution or a cancel effect. */
function expectAllClosed(trace: Trace): void {
  const tasks = ledger();
  const jobs = ledger();
  const timers = ledger();
  const faults = ledger();
  for (const e of trace.effects) {
    if (e.type === 'taskCreated') tasks.open(e.taskId);
    if (e.type === 'taskCompleted' || e.type === 'taskCancelled') tasks.close(e.taskId);
    // A job retried after a fault is announced again under the same id.
    if (e.type === 'jobCreated') jobs.open(e.jobId);
    if (e.type === 'jobCompleted' || e.type === 'jobCancelled') jobs.close(e.jobId);
    if (e.type === 'timerScheduled') timers.open(e.timerId);
    if (e.type === 'timerCancelled') timers.close(e.timerId);
    if (e.type === 'faultRaised') faults.open(e.faultId);
    if (e.type === 'faultResolved') faults.close(e.faultId);
  }
  for (const c of trace.commands) if (c.type === 'timerFired') timers.close(c.timerId);
  expect({ tasks: tasks.unbalanced(), jobs: jobs.unbalanced(), timers: timers.unbalanced(), faults: faults.unbalanced() }).toEqual({
    tasks: [],
    jobs: [],
    timers: [],
    faults: [],
  });
}

const parallelPairs = (xml: string) =>
  [...xml.matchAll(/<bpmn:parallelGateway id="(psplit\d+)"\/><bpmn:parallelGateway id="(pjoin\d+)"\/>/g)].map((m) => [m[1], m[2]] as const);

const completions = (trace: Trace, elementId: string) =>
  trace.history.filter((h) => h.elementId === elementId && h.event === 'completed').length;

// ---- the properties -------------------------------------------------------------------------

describe('random processes under random schedules', () => {
  // Compiling is the slow part; the same structure always gives the same XML.
  const compiled = new Map<string, Promise<Definition>>();
  const definitionOf = (xml: string) => {
    let def = compiled.get(xml);
    if (!def) {
      def = compile(xml);
      compiled.set(xml, def);
    }
    return def;
  };

  it('every generated process compiles without warnings', async () => {
    await fc.assert(
      fc.asyncProperty(processArb, async (blocks) => {
        expect((await definitionOf(toBpmn(blocks))).warnings).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('hold their invariants', async () => {
    await fc.assert(
      fc.asyncProperty(processArb, fc.nat({ max: 2 }), scheduleArb, fc.nat(), async (blocks, v, schedule, roundTripAt) => {
        const xml = toBpmn(blocks);
        const def = await definitionOf(xml);
        const trace = runSchedule(def, v, schedule); // (e): every input state is deep-frozen

        // (a) determinism: the same commands from the same start give the same states, effects, history.
        expect(runSchedule(def, v, schedule)).toStrictEqual(trace);

        // (b) continuing from a JSON copy of the state mid-run changes nothing.
        const at = roundTripAt % Math.max(1, trace.commands.length - 1);
        expect(runSchedule(def, v, schedule, at)).toStrictEqual(trace);

        // (c) the instance ends (the drain completes whatever the schedule left), holding nothing open.
        const final = trace.states.at(-1) as InstanceState;
        const cancelled = trace.commands.some((c) => c.type === 'cancel');
        expect(final.status).toBe(cancelled ? 'cancelled' : 'completed');
        expect({ elements: final.elements, waits: final.waits, joins: final.joins, faults: final.faults }).toEqual({
          elements: {},
          waits: {},
          joins: {},
          faults: {},
        });
        expect(trace.effects.filter((e) => e.type === 'instanceEnded')).toHaveLength(1);
        expectAllClosed(trace);

        // (d) a parallel join fires once per split, unless what held its tokens was cancelled.
        const interrupted = cancelled || trace.history.some((h) => h.event === 'cancelled' && h.elementType === 'subProcess');
        for (const [split, join] of parallelPairs(xml)) {
          const splits = completions(trace, split as string);
          const joins = completions(trace, join as string);
          if (interrupted) expect(joins).toBeLessThanOrEqual(splits);
          else expect(joins, `${join} after ${split}`).toBe(splits);
        }
      }),
      { numRuns: 150 },
    );
  });
});
