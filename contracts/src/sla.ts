// SLA policies (what clock a ticket gets, by a FEEL condition over it) and the preview of which
// policies would apply to a ticket. A ticket's records are its `sla` list (tickets.ts).
import { type Static, Type } from 'typebox';
import { FORM_KEY_PATTERN, GROUP_ID_PATTERN } from './common.ts';
import { TicketTypeSchema } from './tickets.ts';

const PolicyId = Type.String({ pattern: FORM_KEY_PATTERN, description: 'Letters, digits, _ . - (at most 100)' });

export const SlaBreachAction = Type.Union([
  Type.Object({ notify: Type.Literal('groupManager') }, { additionalProperties: false }),
  Type.Object({ reassign: Type.String({ pattern: GROUP_ID_PATTERN }) }, { additionalProperties: false }),
  Type.Object({ raisePriority: Type.Literal(true) }, { additionalProperties: false }),
]);

const PolicyFields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  ticketType: TicketTypeSchema,
  kind: Type.Union([Type.Literal('response'), Type.Literal('resolution')]),
  condition: Type.String({ minLength: 1, maxLength: 2000, description: 'FEEL over the ticket, e.g. `priority = 1`' }),
  target: Type.String({ minLength: 2, maxLength: 50, description: 'ISO duration of business time, e.g. PT4H' }),
  calendar: Type.Optional(
    Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()], { description: 'none: around the clock' }),
  ),
  pauseStates: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 20 })),
  warnAt: Type.Optional(Type.Array(Type.Number({ exclusiveMinimum: 0, exclusiveMaximum: 100 }), { maxItems: 10 })),
  onBreach: Type.Optional(Type.Array(SlaBreachAction, { maxItems: 10 })),
};

export const CreateSlaPolicyBody = Type.Object({ id: PolicyId, ...PolicyFields }, { additionalProperties: false });
export type CreateSlaPolicyBody = Static<typeof CreateSlaPolicyBody>;
export const UpdateSlaPolicyBody = Type.Object(PolicyFields, { additionalProperties: false });
export type UpdateSlaPolicyBody = Static<typeof UpdateSlaPolicyBody>;

export const SlaPolicy = Type.Object({
  id: Type.String(),
  name: Type.String(),
  ticketType: Type.String(),
  kind: Type.String(),
  condition: Type.String(),
  target: Type.String(),
  calendar: Type.Union([Type.String(), Type.Null()]),
  pauseStates: Type.Array(Type.String()),
  warnAt: Type.Array(Type.Number()),
  onBreach: Type.Array(Type.Record(Type.String(), Type.Unknown())),
});
export type SlaPolicy = Static<typeof SlaPolicy>;
export const SlaPolicyList = Type.Array(SlaPolicy);
export const SlaPolicyParams = Type.Object({ id: PolicyId }, { additionalProperties: false });

export const SlaPreviewBody = Type.Object(
  {
    ticket: Type.Optional(Type.String({ pattern: '^(INC|REQ|PRB|CHG|RLS)[0-9]{7,}$' })),
    values: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: 'the ticket’s fields, e.g. { type, priority, symptom }' }),
    ),
  },
  { additionalProperties: false },
);
export type SlaPreviewBody = Static<typeof SlaPreviewBody>;
export const SlaPreview = Type.Array(
  Type.Object({
    policy: Type.String(),
    name: Type.String(),
    kind: Type.String(),
    target: Type.String(),
    calendar: Type.Union([Type.String(), Type.Null()]),
    dueAt: Type.String(),
  }),
);
