// What each ticket action needs: who may perform it, whether the flow or the module runs it, and
// the input it takes. A flow action is available when the ticket's instance waits for its message
// (`ticket.<action>`); a module action by the ticket's state. Roles are checked first (403), then
// availability (409 ACTION_NOT_AVAILABLE), then the input (400).
import type { TicketType } from '@serviceloom/contracts';
import { badRequest } from '../../platform/errors.ts';
import { isOpen } from './rows.ts';

/** Who may perform an action: agents, the ticket's requester (and watchers), or either. */
export type Performer = 'agent' | 'requester' | 'either';

export interface ActionSpec {
  who: Performer;
  /** Runs in the flow (a message) or in the module alone. */
  flow: boolean;
  /** Module actions: whether the ticket's state allows it. */
  availableIn?: (state: string, ticket: { csat_score: number | null }) => boolean;
  /** Flow actions: a further condition on the ticket (the flow may offer more than once what happens once). */
  onlyIf?: (ticket: { major: boolean }) => boolean;
  /** Checks the input; returns the variables the flow (or the module) gets. */
  input: (body: Record<string, unknown>, type: TicketType) => Record<string, unknown>;
}

const HOLD_REASONS = ['awaiting_caller', 'awaiting_vendor', 'awaiting_problem', 'awaiting_change'];
const CLOSE_CODES: Record<string, string[]> = {
  incident: ['solved', 'workaround', 'not_reproducible', 'too_costly', 'resolved_by_caller', 'duplicate'],
  request: ['fulfilled', 'partially_fulfilled', 'not_fulfilled'],
  problem: ['fix_applied', 'risk_accepted', 'duplicate', 'canceled'],
};

function text(body: Record<string, unknown>, field: string, required: boolean, max = 10_000): string | undefined {
  const v = body[field];
  if (v === undefined || v === null || v === '') {
    if (required) throw badRequest('ACTION_INVALID', `"${field}" is required`);
    return undefined;
  }
  if (typeof v !== 'string') throw badRequest('ACTION_INVALID', `"${field}" must be a string`);
  if (v.length > max) throw badRequest('ACTION_INVALID', `"${field}" is longer than ${max} characters`);
  return v;
}

function oneOf(body: Record<string, unknown>, field: string, allowed: string[]): string {
  const v = body[field];
  if (typeof v !== 'string' || !allowed.includes(v)) {
    throw badRequest('ACTION_INVALID', `"${field}" must be one of ${allowed.join(', ')}`);
  }
  return v;
}

const nothing = () => ({});
const withComment = (required: boolean) => (b: Record<string, unknown>) => {
  const comment = text(b, 'comment', required);
  return comment === undefined ? {} : { comment };
};

export const ACTIONS: Record<string, ActionSpec> = {
  assign: {
    who: 'agent',
    flow: false,
    availableIn: (state) => isOpen(state),
    input: (b) => {
      const assignee = text(b, 'assignee', false, 200);
      const assignmentGroup = text(b, 'assignmentGroup', false, 200);
      if (assignee === undefined && assignmentGroup === undefined && !('assignee' in b)) {
        throw badRequest('ACTION_INVALID', 'give "assignee" (a user id or username), "assignmentGroup" (a group id) or both');
      }
      return {
        ...(assignee !== undefined || 'assignee' in b ? { assignee: assignee ?? null } : {}),
        ...(assignmentGroup ? { assignmentGroup } : {}),
      };
    },
  },
  start: { who: 'agent', flow: true, input: nothing },
  hold: {
    who: 'agent',
    flow: true,
    input: (b) => {
      const note = text(b, 'note', false);
      return { reason: oneOf(b, 'reason', HOLD_REASONS), ...(note ? { note } : {}) };
    },
  },
  resume: { who: 'agent', flow: true, input: nothing },
  resolve: {
    who: 'agent',
    flow: true,
    input: (b, type) => ({
      closeCode: oneOf(b, 'closeCode', CLOSE_CODES[type] ?? CLOSE_CODES.incident ?? []),
      resolutionNotes: text(b, 'resolutionNotes', true),
    }),
  },
  reopen: { who: 'either', flow: true, input: withComment(true) },
  close: { who: 'either', flow: true, input: nothing },
  // A requester may cancel only while the ticket is new (checked where the state is known).
  cancel: { who: 'either', flow: true, input: (b) => ({ reason: text(b, 'reason', false) ?? null }) },
  'declare-major': { who: 'agent', flow: true, onlyIf: (t) => !t.major, input: (b) => ({ reason: text(b, 'reason', true) }) },
  urge: {
    who: 'requester',
    flow: false,
    availableIn: (state) => isOpen(state),
    input: withComment(false),
  },
  rate: {
    who: 'requester',
    flow: false,
    availableIn: (state, t) => (state === 'resolved' || state === 'closed') && t.csat_score === null,
    input: (b) => {
      const score = b.score;
      if (!Number.isInteger(score) || (score as number) < 1 || (score as number) > 5) {
        throw badRequest('ACTION_INVALID', '"score" must be a whole number from 1 to 5');
      }
      const comment = text(b, 'comment', false, 2000);
      return { score, ...(comment ? { comment } : {}) };
    },
  },
};

/**
 * The spec of an action the flow offers but the module has no entry for (a tenant's own message,
 * or a type's action such as `submit` or `schedule`): agents perform it and its input passes to
 * the flow as variables.
 */
export const FLOW_DEFAULT: ActionSpec = {
  who: 'agent',
  flow: true,
  input: (b) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(b)) if (/^[A-Za-z][A-Za-z0-9_]{0,63}$/.test(k)) out[k] = v;
    return out;
  },
};

export const MESSAGE_PREFIX = 'ticket.';
/** Messages the module sends on its own; never offered as actions. */
export const INTERNAL_MESSAGES = ['ticket.approved', 'ticket.rejected', 'ticket.major-resolved'];
