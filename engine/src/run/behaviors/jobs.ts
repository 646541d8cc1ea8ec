import type { FlowNode } from '../../model.ts';
import type { ElementInstance } from '../../state.ts';
import type { Step } from '../step.ts';
import type { Behavior } from './index.ts';

/** Creates a job for a worker or connector (service, send, business rule tasks and throw events with sl:type). */
export function requestJob(step: Step, ei: ElementInstance, node: FlowNode): void {
  const job = node.job;
  if (!job) return;
  const jobType = job.typeExpression ? step.evaluate(job.typeExpression, ei.id) : job.type;
  if (typeof jobType !== 'string' || jobType.trim() === '') {
    // No worker could ever fetch it: hold the token and say why, as for any failing expression.
    return step.raiseFault(ei, `the job type "${job.type}" gave ${JSON.stringify(jobType) ?? 'nothing'}, not a job type name`);
  }
  let retries = job.retries;
  if (job.retriesExpression) {
    const v = step.evaluate(job.retriesExpression, ei.id);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0)
      return step.raiseFault(
        ei,
        `the retries "${job.retriesExpression.source}" gave ${JSON.stringify(v) ?? 'nothing'}, not a whole number`,
      );
    retries = v;
  }
  const w = step.openWait({ kind: 'job', owner: ei.id, trigger: node.id, jobType, retries });
  step.emit({
    type: 'jobCreated',
    jobId: w.id,
    jobType,
    elementId: node.id,
    retries,
    variables: { ...step.context(ei.id) },
  });
}

export const jobTask: Behavior = {
  enter(step, ei, node) {
    if (node.job) return requestJob(step, ei, node);
    // A send task without a job type throws its message and moves on.
    if (node.event?.kind === 'message') {
      const name = node.event.nameExpression ? step.evaluateName(node.event.nameExpression, ei, 'the message name') : node.event.name;
      if (name === undefined) return;
      const vars = ei.vars ?? {};
      const key = vars.correlationKey;
      step.emit({
        type: 'messageThrown',
        elementId: node.id,
        name,
        variables: vars,
        ...(key !== undefined && key !== null ? { correlationKey: String(key) } : {}),
      });
    }
    step.complete(ei);
  },
};
