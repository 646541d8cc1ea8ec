// Driver for bpmn-engine (v25), through its documented API. The XML is parsed and serialized once
// (bpmn-moddle + moddle-context-serializer, as its addSource example does) and every instance is a
// `new Engine({ sourceContext })`, since one engine runs one execution. Service tasks call
// `environment.services.work`, which completes at once; user tasks are signalled from `wait`.
import { EventEmitter } from 'node:events';
import * as elements from 'bpmn-elements';
import { Engine } from 'bpmn-engine';
import { BpmnModdle } from 'bpmn-moddle';
import serialize, { type SerializableContext, TypeResolver } from 'moddle-context-serializer';
import { completion, type FlowName, theirsXml } from './flows.ts';
import type { Probe } from './serviceloom.ts';

type Next = (err: Error | null, result?: unknown) => void;

export async function compileTheirs(): Promise<Record<FlowName, SerializableContext>> {
  const types = TypeResolver(elements);
  const load = async (xml: string) => serialize((await new BpmnModdle().fromXML(xml)) as any, types);
  return { automatic: await load(theirsXml.automatic), incident: await load(theirsXml.incident) };
}

// Shared by every timed instance, so the loop measures the engine rather than listener setup.
const services = { work: (_scope: unknown, next: Next) => next(null, completion) };
const listener = new EventEmitter();
listener.on('wait', (api) => api.signal(completion));

export function runTheirs(source: SerializableContext, n: number, probe?: Probe): Promise<void> {
  const engine = new Engine({ name: `i${n}`, sourceContext: source });
  const options = probe ? probeOptions(engine, probe) : { listener, services };
  return new Promise<void>((resolve, reject) => {
    engine.execute({ ...options, variables: { n } }, (err) => (err ? reject(err) : resolve()));
  }).then(async () => {
    if (!probe) return;
    const state = await engine.getState();
    probe.finalSize = JSON.stringify(state).length;
    probe.modelSize = JSON.stringify(state.definitions.map((d) => d.source)).length;
  });
}

function probeOptions(engine: Engine, probe: Probe) {
  const probeListener = new EventEmitter();
  probeListener.on('wait', async (api) => {
    if (probe.midSize === undefined) probe.midSize = JSON.stringify(await engine.getState()).length;
    probe.tasks++;
    api.signal(completion);
  });
  const work = (_scope: unknown, next: Next) => {
    probe.jobs++;
    next(null, completion);
  };
  return { listener: probeListener, services: { work } };
}
