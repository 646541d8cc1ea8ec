// The behaviour of each element kind, looked up by type. Adding an element kind means adding
// one behaviour here and its tests.
import type { FlowNode, NodeType } from '../../model.ts';
import type { ElementInstance, Wait } from '../../state.ts';
import type { Payload, Step } from '../step.ts';
import { callActivity } from './callActivity.ts';
import { boundaryEvent, endEvent, intermediateCatchEvent, intermediateThrowEvent, startEvent } from './events.ts';
import { eventBasedGateway, exclusiveGateway, inclusiveGateway, parallelGateway } from './gateways.ts';
import { jobTask } from './jobs.ts';
import { scriptTask } from './scriptTask.ts';
import { subProcess } from './subProcess.ts';
import { passThrough, receiveTask } from './tasks.ts';
import { userTask } from './userTask.ts';

export interface Behavior {
  /** A token entered: complete the element now, or open what it waits for. */
  enter(step: Step, ei: ElementInstance, node: FlowNode, payload?: Payload): void;
  /** Joining gateways: true when the arriving token is held until the join fires. */
  arrive?(step: Step, node: FlowNode, scopeId: string, flowId: string): boolean;
  /** Which outgoing flows to take on completion (undefined: a fault holds the token). */
  leave?(step: Step, ei: ElementInstance, node: FlowNode): string[] | undefined;
  /** One of the element's own waits fired (default: complete with the payload's variables). */
  trigger?(step: Step, ei: ElementInstance, node: FlowNode, wait: Wait, payload: Payload): void;
}

const behaviors: Record<NodeType, Behavior> = {
  startEvent,
  endEvent,
  intermediateCatchEvent,
  intermediateThrowEvent,
  boundaryEvent,
  task: passThrough,
  manualTask: passThrough,
  userTask,
  serviceTask: jobTask,
  sendTask: jobTask,
  businessRuleTask: jobTask,
  scriptTask,
  receiveTask,
  exclusiveGateway,
  parallelGateway,
  inclusiveGateway,
  eventBasedGateway,
  subProcess,
  callActivity,
};

export function behaviorOf(type: NodeType): Behavior {
  return behaviors[type];
}
