// Replays the real incident event log (testdata/itsm-event-log: 5,998 rows, 890 ServiceNow
// incidents of 2016) two ways, on PostgreSQL when DATABASE_URL is set, else on PGlite:
//
// 1. Imported: `POST /tickets/import` of the file; every incident shows the state and times of its
//    last row.
// 2. Live: every incident raised at its `opened_at` (by its opener, for its caller, to its first
//    assignment group) and driven through the itsm-incident template flow over HTTP by the actions
//    its rows record, each performed by the row's `sys_updated_by` at the row's `sys_updated_at`
//    on the test clock, which starts in February 2016 and only moves forward: the rows of all
//    incidents run in one time order. On PostgreSQL all 890; on embedded PGlite (the suite's second
//    CI run, several times slower per statement) the 200 opened first.
//
// How rows become actions (test/event-log.ts), each row against the one before it in time order:
//   New -> Active: start            Active -> Awaiting *: hold (reason below)
//   Awaiting * -> Active: resume    Awaiting X -> Awaiting Y: resume, hold (the flow holds from in progress)
//   New -> Awaiting *: start, hold  New | Active | Awaiting * -> Resolved: resolve
//   Resolved -> Active | Awaiting *: reopen (and hold)          Resolved -> Closed: close
//   assignment_group changes to another group: assign { assignmentGroup }
//   hold reasons: User Info and Evidence -> awaiting_caller, Problem -> awaiting_problem,
//   Vendor -> awaiting_vendor.
// Times are `DD-MM-YYYY HH:MM` read as UTC, so they are compared to the minute (an action runs a
// few milliseconds after the clock reaches its minute).
//
// What the log shows about itself, and how the test treats it (the live test prints each incident's):
// - Closing: 885 of the 890 closures are by "Updated by 908", ServiceNow's auto-close job, which
//   closes each hour the incidents resolved more than 5 calendar days before (closed_at minus
//   resolved_at is 120 to 121 hours for 653 incidents), and at other times later. This tool's
//   auto-close counts business days from the resolution's own minute, so it cannot fall on those
//   hours: the tenant's itsm.autoCloseDays is set to 365, past the log's last row, and the replay
//   performs `close` at each recorded closure, as that user.
// - resolved_at: missing (`?`) in 29 incidents (each resolved in its first row); in 17 it is the
//   time of a later save while resolved, not of the row that resolved. closed_at is such a later
//   save in 4. The live ticket takes the time of the row that changed the state; it is compared with
//   the column where the two agree, and with the row otherwise.
// - reassignment_count counts every change of assignment_group, clearing it (`?`) included. No
//   action clears a ticket's group, and assigned_to changes within a group count nowhere in the log
//   while this tool counts a new person as a reassignment (docs/itsm-api.md), so the replay drives
//   group changes only. It is compared with the log where the log's counter equals the visible
//   moves between groups, nothing was cleared and every move could be driven (851 of 890); elsewhere with the replay's own count.
// - reopen_count agrees with the Resolved -> Active rows of every incident.
// - Five incidents have rows before their opened_at (their updates were recorded before the
//   opening time): those rows happen at opened_at. One (INC0000137) has a New row later in time
//   than its Resolved row (the file lists them the other way round): a stale update, no action.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, type Call, integrationDatabaseUrl, settle, startServer, type TestServer, tokenFor } from '../../../test/helpers.ts';
import { consistent, EVENT_LOG, type Plan, planOf, readEventLog, type Step, slug, timeline } from './test/event-log.ts';

const rows = readEventLog();
const plans: Plan[] = [...rows.values()].map(planOf);
/**
 * Live, on PostgreSQL every incident; on embedded PGlite (one process, the database in WebAssembly,
 * several times slower per statement) the first opened, so that the suite stays within minutes.
 */
const LIVE_ON_PGLITE = 200;
const livePlans = integrationDatabaseUrl()
  ? plans
  : [...plans].sort((a, b) => a.openedAt - b.openedAt || a.number.localeCompare(b.number)).slice(0, LIVE_ON_PGLITE);
const FIRST = Math.min(...plans.map((p) => p.openedAt));
const YEARS = 5 * 366 * 24 * 3600;
const minute = (iso: string | null) => (iso === null ? null : Math.floor(Date.parse(iso) / 60_000) * 60_000);

let s: TestServer;
let platform: Call;
const run = randomUUID().slice(0, 8);
const live = `replay-${run}`;
const imported = `replay-import-${run}`;
/** The live ticket's number for each log number. */
const numberOf = new Map<string, string>();
const tickets = new Map<string, Record<string, any>>();

/** A tenant of its own (a shared database keeps earlier runs), and a call as its admin. */
async function tenant(id: string): Promise<Call> {
  const created = await platform('POST', '/api/v1/tenants', { id, name: id, admin: { username: 'root', password: 'replay-secret' } });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return as(s.app, await tokenFor(s.app, 'root', id));
}

beforeAll(async () => {
  const databaseUrl = integrationDatabaseUrl();
  // The clock starts a minute before the first incident; tokens outlive the log's year.
  s = await startServer({
    ...(databaseUrl ? { databaseUrl } : {}),
    testClockStartMs: FIRST - 60_000,
    tokenTtlSeconds: YEARS,
    refreshTtlSeconds: YEARS,
  });
  platform = as(s.app, s.tokens.admin);
});
afterAll(() => s?.close());

describe('the incident event log', () => {
  it('is imported: every incident shows its last row’s state, times and counters', async () => {
    const admin = await tenant(imported);
    const res = await s.app.inject({
      method: 'POST',
      url: '/api/v1/tickets/import',
      payload: readFileSync(EVENT_LOG, 'utf8'),
      headers: { authorization: `Bearer ${await tokenFor(s.app, 'root', imported)}`, 'content-type': 'text/csv' },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ imported: 890, updated: 0, rejected: [] });
    const seen = await listAll(admin);
    expect(seen.size).toBe(890);
    for (const p of plans) {
      const t = seen.get(p.number);
      expect(t, p.number).toBeDefined();
      expect(
        {
          state: t?.state,
          openedAt: minute(t?.openedAt),
          resolvedAt: minute(t?.resolvedAt),
          closedAt: minute(t?.closedAt),
          reopenCount: t?.reopenCount,
          reassignmentCount: t?.reassignmentCount,
        },
        p.number,
      ).toEqual(p.log);
    }
  });

  it('is driven live through the incident flow at its recorded times, to the same states and times', async () => {
    const admin = await tenant(live);
    // Auto-close beyond the log's last row: the replay closes at the recorded closures.
    // The log's incidents opened without a group stay without one (no first-line queue to fall into),
    // so that their first group is not counted as a reassignment.
    expect(
      (await admin('PATCH', '/api/v1/itsm/settings', { 'itsm.autoCloseDays': 365, 'itsm.firstLineGroup': 'no-first-line-group' })).status,
    ).toBe(200);
    const callAs = await people();
    const started = Date.now();
    const clock = s.app.testClock as NonNullable<typeof s.app.testClock>;
    // The steps of one minute run side by side, one chain per incident; the minutes one after another.
    const items = timeline(livePlans);
    for (let i = 0; i < items.length; ) {
      const at = items[i]?.at as number;
      const chains = new Map<Plan, Array<Step | 'create'>>();
      for (; i < items.length && items[i]?.at === at; i++) {
        const { plan, step } = items[i] as (typeof items)[number];
        chains.set(plan, [...(chains.get(plan) ?? []), step]);
      }
      // Straight to the minute: the outbox's poller runs the follow-ups (no timer is due in between
      // but the major incidents' 30-minute updates, which fire as the clock passes them).
      const ahead = at - clock.now();
      if (ahead > 0) clock.advance(ahead);
      await Promise.all([...chains].map(([plan, steps]) => perform(callAs, plan, steps, at)));
    }
    await settle(s.app);
    console.info(
      `replay: ${livePlans.length} incidents, ${livePlans.reduce((n, p) => n + p.steps.length, 0)} actions in ${Date.now() - started} ms (${Math.round(process.cpuUsage().user / 1000)} ms of CPU in this process so far)`,
    );
    const seen = await listAll(admin);
    for (const [log, number] of numberOf) tickets.set(log, seen.get(number) as Record<string, any>);
    expect(tickets.size).toBe(livePlans.length);

    for (const p of livePlans) {
      const t = tickets.get(p.number) as Record<string, any>;
      const got = {
        state: t.state,
        openedAt: minute(t.openedAt),
        resolvedAt: minute(t.resolvedAt),
        closedAt: minute(t.closedAt),
        reopenCount: t.reopenCount,
        reassignmentCount: t.reassignmentCount,
      };
      expect(got, p.number).toEqual({
        state: p.expected.state,
        openedAt: p.openedAt,
        resolvedAt: p.expected.resolvedAt,
        closedAt: p.expected.closedAt,
        reopenCount: p.expected.reopenCount,
        reassignmentCount: p.expected.reassignmentCount,
      });
      // And against the log's own columns wherever they agree with its rows.
      expect(got.state, p.number).toBe(p.log.state);
      expect(got.openedAt, p.number).toBe(p.log.openedAt);
      if (consistent.resolvedAt(p)) expect(got.resolvedAt, p.number).toBe(p.log.resolvedAt);
      if (consistent.closedAt(p)) expect(got.closedAt, p.number).toBe(p.log.closedAt);
      if (consistent.reopenCount(p)) expect(got.reopenCount, p.number).toBe(p.log.reopenCount);
      if (consistent.reassignmentCount(p)) expect(got.reassignmentCount, p.number).toBe(p.log.reassignmentCount);
    }
    const quirky = livePlans.filter((p) => p.quirks.length > 0);
    console.info(
      `replay: ${quirky.length} incidents where the log disagrees with itself or the flow:\n${quirky.map((p) => `  ${p.number}: ${p.quirks.join('; ')}`).join('\n')}`,
    );
  }, 600_000);

  it('ends live where the import does: the same state for each, the same times where the log agrees with itself', () => {
    expect(tickets.size).toBe(livePlans.length);
    for (const p of livePlans) {
      const t = tickets.get(p.number) as Record<string, any>;
      expect(t.state).toBe(p.log.state);
      if (consistent.resolvedAt(p) && consistent.closedAt(p))
        expect([minute(t.openedAt), minute(t.resolvedAt), minute(t.closedAt)], p.number).toEqual([
          p.log.openedAt,
          p.log.resolvedAt,
          p.log.closedAt,
        ]);
    }
    const agree = livePlans.filter((p) => consistent.resolvedAt(p) && consistent.closedAt(p)).length;
    expect(agree / livePlans.length).toBeGreaterThan(0.9);
  });
});

async function perform(callAs: (username: string) => Call, plan: Plan, steps: Array<Step | 'create'>, at: number): Promise<void> {
  for (const step of steps) {
    if (step === 'create') {
      const res = await callAs(plan.create.actor)('POST', '/api/v1/tickets', plan.create.body);
      if (res.status !== 201) throw new Error(`${plan.number} create: ${res.status} ${JSON.stringify(res.body)}`);
      numberOf.set(plan.number, res.body.number);
      continue;
    }
    const number = numberOf.get(plan.number) as string;
    const res = await callAs(step.actor)('POST', `/api/v1/tickets/${number}/actions/${step.action}`, step.body);
    if (res.status !== 200) {
      throw new Error(
        `${plan.number} (${number}) ${step.action} at ${new Date(at).toISOString()}: ${res.status} ${JSON.stringify(res.body)}`,
      );
    }
  }
}

/** Every incident of the caller's tenant, by number. */
async function listAll(call: Call): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  let cursor: string | null = null;
  do {
    const res = await call('GET', `/api/v1/tickets?type=incident&sort=openedAt&limit=200${cursor ? `&cursor=${cursor}` : ''}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    for (const t of res.body.items) out.set(t.number, t);
    cursor = res.body.nextCursor;
  } while (cursor);
  return out;
}

/**
 * The log's people and groups in the live tenant, straight into the database (the users API hashes
 * a password per user): callers are requesters, openers and updaters agents. Returns a call per
 * performer, signed in on first use.
 */
async function people(): Promise<(username: string) => Call> {
  const all = [...rows.values()].flat();
  const groups = new Set(all.flatMap((r) => (r.group ? [r.group] : [])));
  const agents = new Set([...all.map((r) => r.updatedBy), ...all.map((r) => r.openedBy)].map(slug));
  const callers = new Set(all.map((r) => slug(r.caller)));
  await s.app.services.transactions.withTenant(live, async (work) => {
    await work.tx('groups').insert([...groups].map((g) => ({ tenant_id: live, id: slug(g), name: g })));
    const users = [
      ...[...agents].map((u) => ({ username: u, roles: ['agent'] })),
      ...[...callers].filter((u) => !agents.has(u)).map((u) => ({ username: u, roles: ['requester'] })),
    ];
    for (let i = 0; i < users.length; i += 500) {
      await work.tx('users').insert(
        users.slice(i, i + 500).map((u) => ({
          id: randomUUID(),
          tenant_id: live,
          username: u.username,
          display_name: u.username,
          password_hash: 'x',
          roles: JSON.stringify(u.roles),
        })),
      );
    }
  });
  const calls = new Map<string, Promise<Call>>();
  const signedIn = new Map<string, Call>();
  return (username: string) => {
    const known = signedIn.get(username);
    if (known) return known;
    // Signs in lazily: the first call of a performer waits for its token.
    return async (method, url, payload) => {
      let call = calls.get(username);
      if (!call) {
        call = tokenFor(s.app, username, live).then((token) => as(s.app, token));
        calls.set(username, call);
      }
      const c = await call;
      signedIn.set(username, c);
      return c(method, url, payload);
    };
  };
}
