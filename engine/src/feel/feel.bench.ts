// Micro benchmark: feelin's evaluate vs compileFeel, evaluations per second.
// Run with `npx tsx engine/src/feel/feel.bench.ts`.

import { evaluate } from 'feelin';
import { compileFeel } from './index.ts';

// A process instance's variables, of a realistic size.
const context: Record<string, unknown> = {
  amount: 250,
  approved: true,
  priority: 2,
  currency: 'EUR',
  requester: { name: 'Ann', department: 'IT', level: 3 },
  order: {
    id: 'o-17',
    total: 1250.5,
    lines: [
      { sku: 'a', qty: 2 },
      { sku: 'b', qty: 1 },
    ],
    channel: 'web',
  },
  tags: ['urgent', 'hardware'],
  retries: 0,
  comment: null,
  dueInDays: 5,
  category: 'purchase',
  escalated: false,
};

const expressions = ['amount > 100', 'approved = true and priority < 3', 'if order.total > 1000 then "manual review" else "auto"'];

let sink: unknown;

/** Evaluations per second of `fn`, measured over about `ms` milliseconds after a warm-up. */
function rate(fn: () => unknown, ms: number): number {
  const until = performance.now() + ms / 4;
  while (performance.now() < until) sink = fn();
  let n = 0;
  let batch = 1;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < batch; i++) sink = fn();
    n += batch;
    batch *= 2;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const format = (n: number): string => Math.round(n).toLocaleString('en-US').padStart(12);

console.log(`${'expression'.padEnd(56)} ${'feelin/s'.padStart(12)} ${'compiled/s'.padStart(12)}  speed-up  fast`);
for (const source of expressions) {
  const compiled = compileFeel(source);
  const expected = JSON.stringify(evaluate(source, context).value);
  if (JSON.stringify(compiled.evaluate(context)) !== expected) throw new Error(`results differ for ${source}`);
  const slow = rate(() => evaluate(source, context).value, 1000);
  const fast = rate(() => compiled.evaluate(context), 1000);
  console.log(`${source.padEnd(56)} ${format(slow)} ${format(fast)}  ${`${Math.round(fast / slow)}x`.padStart(8)}  ${compiled.fast}`);
}
if (sink === Symbol.for('never')) console.log(sink);
