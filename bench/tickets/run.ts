// The ticket layer's cost: incidents driven through the whole default flow over HTTP (create,
// assign, start, resolve, close: five commands each), side by side in the same run with the bare
// process API driving a flow of the same number of steps (start, then four user tasks completed:
// five commands, plus the task queries a client of the bare API needs). Then the inbox: one
// agent's open tickets, sorted by priority, with 10,000 open tickets in the tenant.
//
// Usage: npm run bench:tickets [-- --tickets 600 --concurrency 16 --warmup 50 --open 10000]
// PostgreSQL when DATABASE_URL is set (an empty database, or one seeded with
// SERVICELOOM_DEMO_PASSWORD), else PGlite in a temp dir. The last line, for scripts:
//   tickets-bench: <t> tickets/s, process-only <p> instances/s, ratio <r>
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { type Call, client, fmt, freePort, plain, signIn, startServer, stopServer, Timings } from '../common/server.ts';

const { values } = parseArgs({
  options: {
    tickets: { type: 'string' },
    concurrency: { type: 'string', default: '16' },
    warmup: { type: 'string', default: '50' },
    open: { type: 'string', default: '10000' },
    queries: { type: 'string', default: '300' },
  },
});
const databaseUrl = process.env.DATABASE_URL || undefined;
const TICKETS = Number(values.tickets ?? (databaseUrl ? 1000 : 300));
const CONCURRENCY = Number(values.concurrency);
const WARMUP = Number(values.warmup);
const OPEN = Number(values.open);
const QUERIES = Number(values.queries);
const PASSWORD = process.env.SERVICELOOM_DEMO_PASSWORD || 'bench-password';
const run = randomUUID().slice(0, 8);
const PROCESS = `bench-steps-${run}`;

/** The bare process: four user tasks in a row, as many commands as a ticket's life here. */
const FLOW = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:sl="http://serviceloom.dev/schema/bpmn"
  id="defs-bench-steps" targetNamespace="http://serviceloom.dev/bench">
  <bpmn:process id="${PROCESS}" isExecutable="true">
    <bpmn:startEvent id="s"/>
    ${['assign', 'work', 'resolve', 'close'].map((t) => `<bpmn:userTask id="${t}" sl:candidateGroups="service-desk"/>`).join('\n    ')}
    <bpmn:endEvent id="e"/>
    <bpmn:sequenceFlow id="f1" sourceRef="s" targetRef="assign"/>
    <bpmn:sequenceFlow id="f2" sourceRef="assign" targetRef="work"/>
    <bpmn:sequenceFlow id="f3" sourceRef="work" targetRef="resolve"/>
    <bpmn:sequenceFlow id="f4" sourceRef="resolve" targetRef="close"/>
    <bpmn:sequenceFlow id="f5" sourceRef="close" targetRef="e"/>
  </bpmn:process>
</bpmn:definitions>`;

/** `count` units of work by CONCURRENCY clients; seconds of wall time. */
async function drive(count: number, one: (n: number) => Promise<void>): Promise<number> {
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) await one(next++);
    }),
  );
  return (performance.now() - t0) / 1000;
}

function ticketLife(call: Call, t: Record<string, Timings>) {
  return async (n: number) => {
    const created = await call(
      'POST',
      '/api/v1/tickets',
      { type: 'incident', title: `bench ${run} ${n}`, impact: 2, urgency: 2 },
      t.create as Timings,
      201,
    );
    const path = `/api/v1/tickets/${created.number}/actions`;
    await call('POST', `${path}/assign`, { assignee: 'admin', assignmentGroup: 'service-desk' }, t.action as Timings, 200);
    await call('POST', `${path}/start`, {}, t.action as Timings, 200);
    await call('POST', `${path}/resolve`, { closeCode: 'solved', resolutionNotes: 'bench' }, t.action as Timings, 200);
    const closed = await call('POST', `${path}/close`, {}, t.action as Timings, 200);
    if (closed.state !== 'closed') throw new Error(`${created.number} ended ${closed.state}`);
  };
}

function processLife(call: Call, key: string, t: Record<string, Timings>) {
  return async (n: number) => {
    const started = await call(
      'POST',
      '/api/v1/process-instances',
      { definitionKey: key, businessKey: `P-${run}-${n}` },
      t.create as Timings,
      201,
    );
    for (let i = 0; i < 4; i++) {
      const tasks = await call('GET', `/api/v1/tasks?processInstanceId=${started.id}`, undefined, t.query as Timings, 200);
      await call('POST', `/api/v1/tasks/${tasks[0].id}/complete`, { variables: { step: i } }, t.action as Timings, 200);
    }
  };
}

/** A CSV of `count` open incidents (ServiceNow's export columns), for the inbox's haystack. */
function openTicketsCsv(count: number): string {
  const lines = ['number,incident_state,opened_at,priority,impact,urgency,category'];
  for (let i = 1; i <= count; i++) {
    const day = String(1 + (i % 28)).padStart(2, '0');
    lines.push(
      `INC9${String(i).padStart(6, '0')},Active,${day}-11-2026 10:00,${1 + (i % 5)} - x,${1 + (i % 3)} - x,${1 + (i % 3)} - x,Category ${i % 40}`,
    );
  }
  return lines.join('\n');
}

async function main() {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const dataDir = databaseUrl ? undefined : await mkdtemp(path.join(tmpdir(), 'serviceloom-bench-'));
  console.log(
    `tickets-bench: Node ${process.version}, ${cpus().length} CPUs, ${databaseUrl ? 'PostgreSQL' : 'PGlite'}, ` +
      `${TICKETS} tickets and as many instances (after ${WARMUP} of each to warm up), concurrency ${CONCURRENCY}, ` +
      `inbox among ${OPEN} open tickets`,
  );
  const server = await startServer(
    {
      PORT: String(port),
      HOST: '127.0.0.1',
      SERVICELOOM_DEMO_PASSWORD: PASSWORD,
      SERVICELOOM_TEST_CLOCK: '',
      LOG_LEVEL: process.env.LOG_LEVEL || 'warn',
      ...(dataDir ? { DATABASE_URL: '', SERVICELOOM_DATA_DIR: dataDir } : {}),
    },
    base,
    // e.g. BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to see where the server's time goes.
    (process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
  );
  try {
    const { call, close } = client(port, await signIn(base, 'admin', PASSWORD), CONCURRENCY);
    const none = new Timings();
    const deployed = await call('POST', '/api/v1/definitions', { bpmnXml: FLOW }, none, 201);
    const ticketTimes = { create: new Timings(), action: new Timings() };
    const processTimes = { create: new Timings(), action: new Timings(), query: new Timings() };

    await drive(WARMUP, ticketLife(call, { create: none, action: none }));
    await drive(WARMUP, processLife(call, deployed.key, { create: none, action: none, query: none }));
    // Side by side: tickets, then the bare process, then tickets again; each figure is the better
    // of its two rounds, so neither side pays alone for a slow moment of the machine.
    const half = Math.ceil(TICKETS / 2);
    const t1 = await drive(half, ticketLife(call, ticketTimes));
    const p1 = await drive(half, processLife(call, deployed.key, processTimes));
    const t2 = await drive(TICKETS - half, ticketLife(call, ticketTimes));
    const p2 = await drive(TICKETS - half, processLife(call, deployed.key, processTimes));
    const ticketsPerS = TICKETS / (t1 + t2);
    const instancesPerS = TICKETS / (p1 + p2);
    const ratio = ticketsPerS / instancesPerS;
    console.log(`  tickets   ${TICKETS} through create, assign, start, resolve, close in ${fmt(t1 + t2)} s: ${fmt(ticketsPerS)} tickets/s`);
    console.log(
      `            create p50 / p99 ${fmt(ticketTimes.create.quantile(0.5))} / ${fmt(ticketTimes.create.quantile(0.99))} ms, ` +
        `action ${fmt(ticketTimes.action.quantile(0.5))} / ${fmt(ticketTimes.action.quantile(0.99))} ms`,
    );
    console.log(`  process   ${TICKETS} instances through start and four tasks in ${fmt(p1 + p2)} s: ${fmt(instancesPerS)} instances/s`);
    console.log(
      `            start p50 / p99 ${fmt(processTimes.create.quantile(0.5))} / ${fmt(processTimes.create.quantile(0.99))} ms, ` +
        `complete ${fmt(processTimes.action.quantile(0.5))} / ${fmt(processTimes.action.quantile(0.99))} ms, ` +
        `task query ${fmt(processTimes.query.quantile(0.5))} / ${fmt(processTimes.query.quantile(0.99))} ms`,
    );
    console.log(`  ratio     tickets/s to instances/s: ${fmt(ratio, 2)}`);

    // The inbox: OPEN open tickets imported, some assigned to this agent, the agent's first page.
    if (OPEN > 0) {
      const imported = await call('POST', '/api/v1/tickets/import', openTicketsCsv(OPEN), none, 200, 'text/csv');
      if (imported.rejected.length)
        throw new Error(`import rejected ${imported.rejected.length} rows: ${JSON.stringify(imported.rejected[0])}`);
      // 200 of them (or a tenth) spread over the haystack are this agent's.
      const mine = Math.min(200, Math.ceil(OPEN / 10));
      for (let i = 0; i < mine; i++) {
        const n = Math.floor((i * OPEN) / mine) + 1;
        await call('POST', `/api/v1/tickets/INC9${String(n).padStart(6, '0')}/actions/assign`, { assignee: 'admin' }, none, 200);
      }
      const inbox = new Timings();
      const url = '/api/v1/tickets?assignee=me&state=new,in_progress,on_hold&sort=priority&limit=50';
      for (let i = 0; i < 20; i++) await call('GET', url, undefined, none, 200);
      for (let i = 0; i < QUERIES; i++) {
        const page = await call('GET', url, undefined, inbox, 200);
        if (page.items.length !== Math.min(50, mine))
          throw new Error(`the inbox page has ${page.items.length} tickets, not ${Math.min(50, mine)}`);
      }
      console.log(
        `  inbox     one agent's open tickets by priority, first page of 50, among ${OPEN} open: p50 ${fmt(inbox.quantile(0.5))} ms, p95 ${fmt(inbox.quantile(0.95))} ms`,
      );
    }
    console.log(
      `tickets-bench: ${plain(ticketsPerS)} tickets/s, process-only ${plain(instancesPerS)} instances/s, ratio ${plain(ratio, 2)}`,
    );
    close();
  } finally {
    await stopServer(server);
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
