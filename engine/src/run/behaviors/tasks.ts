import type { Behavior } from './index.ts';

/** Abstract and manual tasks: nothing for the engine to do. */
export const passThrough: Behavior = {
  enter(step, ei) {
    step.complete(ei);
  },
};

/** Waits for its message; completes with the message's variables. */
export const receiveTask: Behavior = {
  enter(step, ei, node) {
    step.subscribe(ei, node);
  },
};
