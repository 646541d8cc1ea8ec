// Tickets: incidents, requests, problems, changes and releases, each run by a process instance of
// its type's flow; their comments, timeline, relations and watchers; the priority matrix and the
// tenant's ITSM settings.
import { type Static, Type } from 'typebox';
import { Attachment } from './attachments.ts';
import { Nullable } from './common.ts';

export const TICKET_TYPES = ['incident', 'request', 'problem', 'change', 'release'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];
export const TicketTypeSchema = Type.Union([
  Type.Literal('incident'),
  Type.Literal('request'),
  Type.Literal('problem'),
  Type.Literal('change'),
  Type.Literal('release'),
]);

export const TICKET_NUMBER_PATTERN = '^(INC|REQ|PRB|CHG|RLS)[0-9]{7,}$';
export const RELATION_KINDS = ['caused_by', 'solved_by', 'duplicate_of', 'related', 'implements', 'part_of'] as const;
export const RelationKind = Type.Union(RELATION_KINDS.map((k) => Type.Literal(k)));

const Level = Type.Integer({ minimum: 1, maximum: 3, description: '1 (high) to 3 (low)' });
const Text = (maxLength: number) => Type.String({ maxLength });
const Person = Nullable(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }));
const Named = Nullable(Type.Object({ id: Type.String(), name: Type.String() }));
const Instant = Type.String({ format: 'date-time' });

export const TicketNumberParams = Type.Object(
  { number: Type.String({ pattern: TICKET_NUMBER_PATTERN, description: 'INC0000001, REQ0000001, ...' }) },
  { additionalProperties: false },
);

export const CreateTicketBody = Type.Object(
  {
    type: TicketTypeSchema,
    title: Type.String({ minLength: 1, maxLength: 300 }),
    description: Type.Optional(Text(100_000)),
    impact: Type.Optional(Level),
    urgency: Type.Optional(Level),
    category: Type.Optional(Text(100)),
    subcategory: Type.Optional(Text(100)),
    symptom: Type.Optional(Text(100)),
    ci: Type.Optional(Text(200)),
    service: Type.Optional(Text(200)),
    requester: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a user id or username' })),
    assignmentGroup: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    assignee: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'a user id or username' })),
    parent: Type.Optional(Type.String({ pattern: TICKET_NUMBER_PATTERN })),
    catalogItem: Type.Optional(Text(100)),
    changeType: Type.Optional(Type.Union([Type.Literal('standard'), Type.Literal('normal'), Type.Literal('emergency')])),
    plannedStart: Type.Optional(Instant),
    plannedEnd: Type.Optional(Instant),
    affectedCis: Type.Optional(Type.Array(Text(200), { maxItems: 200 })),
    fields: Type.Optional(
      Type.Record(Type.String(), Type.Unknown(), { description: "the tenant's own fields, checked by the type's form" }),
    ),
  },
  { additionalProperties: false },
);
export type CreateTicketBody = Static<typeof CreateTicketBody>;

export const UpdateTicketBody = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    description: Type.Optional(Text(100_000)),
    impact: Type.Optional(Level),
    urgency: Type.Optional(Level),
    category: Type.Optional(Nullable(Text(100))),
    subcategory: Type.Optional(Nullable(Text(100))),
    symptom: Type.Optional(Nullable(Text(100))),
    ci: Type.Optional(Nullable(Text(200))),
    service: Type.Optional(Nullable(Text(200))),
    fields: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type UpdateTicketBody = Static<typeof UpdateTicketBody>;

export const Ticket = Type.Object({
  number: Type.String(),
  type: TicketTypeSchema,
  state: Type.String(),
  title: Type.String(),
  description: Type.String(),
  priority: Type.Integer(),
  impact: Type.Integer(),
  urgency: Type.Integer(),
  category: Nullable(Type.String()),
  subcategory: Nullable(Type.String()),
  symptom: Nullable(Type.String()),
  ci: Named,
  service: Named,
  requester: Person,
  assignee: Person,
  assignmentGroup: Named,
  parent: Nullable(Type.String()),
  children: Type.Array(Type.String()),
  major: Type.Boolean(),
  openedAt: Instant,
  respondedAt: Nullable(Instant),
  resolvedAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  updatedAt: Instant,
  closeCode: Nullable(Type.String()),
  resolutionNotes: Nullable(Type.String()),
  holdReason: Nullable(Type.String()),
  reassignmentCount: Type.Integer(),
  reopenCount: Type.Integer(),
  urgeCount: Type.Integer(),
  csat: Nullable(Type.Object({ score: Type.Integer(), comment: Nullable(Type.String()) })),
  fields: Type.Record(Type.String(), Type.Unknown()),
  sla: Type.Array(Type.Record(Type.String(), Type.Unknown())),
  relations: Type.Array(Type.Object({ kind: Type.String(), number: Type.String() })),
  knownErrors: Type.Array(Type.Object({ id: Type.String(), title: Type.String(), workaround: Type.String() })),
  actions: Type.Array(Type.String()),
  processInstanceId: Nullable(Type.String()),
  definitionVersion: Nullable(Type.Integer()),
  catalogItem: Nullable(Type.String()),
  changeType: Type.Optional(Nullable(Type.String())),
  risk: Type.Optional(Nullable(Type.String())),
  plannedStart: Type.Optional(Nullable(Instant)),
  plannedEnd: Type.Optional(Nullable(Instant)),
  affectedCis: Type.Optional(Type.Array(Type.String())),
  impactedServices: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), name: Type.String(), serviceClass: Nullable(Type.Integer()) })),
  ),
});
export type Ticket = Static<typeof Ticket>;

export const TicketListItem = Type.Evaluate(
  Type.Intersect([
    Type.Omit(Ticket, ['children', 'sla', 'relations', 'knownErrors', 'actions', 'fields']),
    Type.Object({
      slaDueAt: Type.Optional(Nullable(Type.String({ description: 'when its next running SLA record is due' }))),
      slaStatus: Type.Optional(
        Nullable(
          Type.Union([Type.Literal('breached'), Type.Literal('at_risk'), Type.Literal('ok')], { description: 'of its SLA records' }),
        ),
      ),
    }),
  ]),
);
export type TicketListItem = Static<typeof TicketListItem>;

export const TicketList = Type.Object({ items: Type.Array(TicketListItem), nextCursor: Nullable(Type.String()) });
export type TicketList = Static<typeof TicketList>;

export const TICKET_SORTS = ['priority', '-priority', 'openedAt', '-openedAt', 'updatedAt', '-updatedAt', 'slaDueAt', '-slaDueAt'] as const;

export const TicketQuery = Type.Object(
  {
    type: Type.Optional(TicketTypeSchema),
    state: Type.Optional(Type.String({ maxLength: 200, description: 'a state, or several separated by commas' })),
    priority: Type.Optional(Type.String({ pattern: '^[1-5]$', description: '1 to 5' })),
    assignee: Type.Optional(Type.String({ maxLength: 200, description: 'a user id or username, `me`, or `none` for unassigned' })),
    assignmentGroup: Type.Optional(Type.String({ maxLength: 200, description: 'a group id, or `mine` for the caller’s groups' })),
    requester: Type.Optional(Type.String({ maxLength: 200, description: 'a user id or username, or `me`' })),
    ci: Type.Optional(Type.String({ maxLength: 200 })),
    major: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])),
    sla: Type.Optional(Type.Union([Type.Literal('breached'), Type.Literal('at_risk')])),
    q: Type.Optional(Type.String({ maxLength: 200, description: 'searches number, title and description' })),
    sort: Type.Optional(Type.Union(TICKET_SORTS.map((s) => Type.Literal(s)))),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|1[0-9]{2}|200)$', description: '1 to 200; default 50' })),
    cursor: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);
export type TicketQuery = Static<typeof TicketQuery>;

export const CommentBody = Type.Object(
  {
    body: Type.String({ minLength: 1, maxLength: 100_000 }),
    internal: Type.Optional(Type.Boolean({ description: 'a work note: never shown to requesters' })),
  },
  { additionalProperties: false },
);
export type CommentBody = Static<typeof CommentBody>;

export const TimelineEntry = Type.Object({
  at: Instant,
  kind: Type.String(),
  actor: Person,
  data: Type.Record(Type.String(), Type.Unknown()),
});
export const Timeline = Type.Array(TimelineEntry);
export type Timeline = Static<typeof Timeline>;

export const ActionParams = Type.Object(
  { number: TicketNumberParams.properties.number, action: Type.String({ pattern: '^[a-z][a-z-]{0,39}$' }) },
  { additionalProperties: false },
);
/** An action's input; each action checks its own fields (docs/itsm-api.md, States and actions). */
export const ActionBody = Type.Record(Type.String(), Type.Unknown());

export const RelationBody = Type.Object(
  { kind: RelationKind, number: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const RelationParams = Type.Object(
  { number: TicketNumberParams.properties.number, kind: RelationKind, other: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export const WatcherParams = Type.Object(
  { number: TicketNumberParams.properties.number, userId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
/** A file on a ticket: one uploaded with `POST /attachments`, linked by its uploader. */
export const TicketAttachmentBody = Type.Object(
  { attachmentId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type TicketAttachmentBody = Static<typeof TicketAttachmentBody>;
export const TicketAttachments = Type.Array(Attachment);
export const TicketAttachmentParams = Type.Object(
  { number: TicketNumberParams.properties.number, id: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Watchers = Type.Array(Type.Object({ id: Type.String(), username: Type.String(), displayName: Type.String() }));

export const ImportReply = Type.Object({
  imported: Type.Integer(),
  updated: Type.Integer(),
  rejected: Type.Array(Type.Object({ line: Type.Integer(), message: Type.String() })),
});
export type ImportReply = Static<typeof ImportReply>;

/** `GET /tickets/stream`: EventSource cannot send headers, so the token may come in the query. */
export const TicketStreamQuery = Type.Object(
  {
    access_token: Type.Optional(
      Type.String({ maxLength: 4096, description: 'the access token, for EventSource (instead of the Bearer header)' }),
    ),
  },
  { additionalProperties: false },
);
export type TicketStreamQuery = Static<typeof TicketStreamQuery>;

/** What the stream sends, each as `event: ticket` with this JSON as `data` (after `retry` and a `ready` event). */
export const TicketStreamEvent = Type.Object({
  number: Type.String(),
  kind: Type.Union([Type.Literal('updated'), Type.Literal('state_changed')]),
  state: Type.Optional(Type.String()),
});
export type TicketStreamEvent = Static<typeof TicketStreamEvent>;

/** The stream itself: `text/event-stream`, open until the client leaves; a comment every 15 s keeps it alive. */
export const TicketEventStream = Type.Unsafe<string>({
  type: 'string',
  description: 'text/event-stream: `event: ticket` with data `{ number, kind: updated | state_changed, state? }`',
});

const MatrixRow = Type.Object(
  {
    '1': Type.Integer({ minimum: 1, maximum: 5 }),
    '2': Type.Integer({ minimum: 1, maximum: 5 }),
    '3': Type.Integer({ minimum: 1, maximum: 5 }),
  },
  { additionalProperties: false },
);
export const PriorityMatrix = Type.Object(
  {
    matrix: Type.Object(
      { '1': MatrixRow, '2': MatrixRow, '3': MatrixRow },
      { additionalProperties: false, description: 'impact, then urgency' },
    ),
  },
  { additionalProperties: false },
);
export type PriorityMatrix = Static<typeof PriorityMatrix>;

export const ItsmSettings = Type.Record(Type.String(), Type.Unknown(), {
  description: "the tenant's ITSM settings by name (itsm.autoCloseDays, itsm.firstLineGroup, ...); secrets are never returned",
});
