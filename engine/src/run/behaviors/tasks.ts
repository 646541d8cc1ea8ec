import type { Behavior } from './index.ts';

/** Abstract and manual tasks: nothing for the engine to do. */
export const passThrough: Behavior = {
  enter(step, ei) {
    step.complete(ei);
  },
};

/** Waits for its message; completes with the message's variables. */
export const receiveTask: Behavior = {
  enter(step, ei, node, payload) {
    // Entered by an event-based gateway whose wait for this message already fired.
    if (payload) return step.complete(ei, payload.variables);
    step.subscribe(ei, node);
  },
};
