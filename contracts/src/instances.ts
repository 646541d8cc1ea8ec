// Process instances: starting, listing, history, cancelling (one, or a batch by filter) and retrying faults.
import { type Static, Type } from 'typebox';
import { Nullable, Variables } from './common.ts';

export const InstanceStatus = Type.Union([
  Type.Literal('active'),
  Type.Literal('completed'),
  Type.Literal('terminated'),
  Type.Literal('cancelled'),
]);
export type InstanceStatus = Static<typeof InstanceStatus>;

export const ProcessInstance = Type.Object({
  id: Type.String(),
  definitionKey: Type.String(),
  version: Type.Integer(),
  businessKey: Nullable(Type.String()),
  status: InstanceStatus,
  variables: Variables,
  activeElementIds: Type.Array(Type.String()),
  startedAt: Type.String({ format: 'date-time' }),
  endedAt: Nullable(Type.String({ format: 'date-time' })),
  parentInstanceId: Nullable(Type.String()),
  faults: Type.Array(Type.Object({ id: Type.String(), elementId: Type.String(), message: Type.String(), jobId: Nullable(Type.String()) }), {
    description: 'Open faults: elements held until an operator retries them',
  }),
});
export type ProcessInstance = Static<typeof ProcessInstance>;

export const ProcessInstanceList = Type.Array(ProcessInstance);
export type ProcessInstanceList = Static<typeof ProcessInstanceList>;

export const StartInstanceBody = Type.Object(
  {
    definitionKey: Type.String({ minLength: 1, maxLength: 200 }),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    businessKey: Type.Optional(Type.String({ maxLength: 500 })),
    variables: Type.Optional(Variables),
  },
  { additionalProperties: false },
);
export type StartInstanceBody = Static<typeof StartInstanceBody>;

export const InstanceQuery = Type.Object(
  {
    definitionKey: Type.Optional(Type.String()),
    status: Type.Optional(InstanceStatus),
    businessKey: Type.Optional(Type.String()),
    parentInstanceId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type InstanceQuery = Static<typeof InstanceQuery>;

export const HistoryEntry = Type.Object({
  elementId: Type.String(),
  elementType: Type.String(),
  event: Type.Union([Type.Literal('started'), Type.Literal('completed'), Type.Literal('cancelled'), Type.Literal('taken')]),
  at: Type.String({ format: 'date-time' }),
});
export type HistoryEntry = Static<typeof HistoryEntry>;

export const InstanceHistory = Type.Array(HistoryEntry);
export type InstanceHistory = Static<typeof InstanceHistory>;

export const FaultParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }), faultId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type FaultParams = Static<typeof FaultParams>;

export const RetryFaultBody = Type.Object(
  { retries: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) },
  { additionalProperties: false },
);
export type RetryFaultBody = Static<typeof RetryFaultBody>;

export const CancelMatchingBody = Type.Object(
  {
    definitionKey: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    definitionId: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    version: Type.Optional(Type.Integer({ minimum: 1, maximum: 2_147_483_647 })),
    businessKey: Type.Optional(Type.String({ maxLength: 500 })),
    startedBefore: Type.Optional(Type.String({ format: 'date-time' })),
    status: Type.Optional(Type.Literal('active', { description: 'Only active instances can be cancelled' })),
  },
  { additionalProperties: false },
);
export type CancelMatchingBody = Static<typeof CancelMatchingBody>;

export const CancelBatch = Type.Object({
  batchId: Type.String(),
  matched: Type.Integer({ description: 'Active instances the filter matched when the batch was asked for' }),
  cancelled: Type.Integer({ description: 'Cancelled so far (their descendants are cancelled by batches of their own)' }),
  status: Type.Union([Type.Literal('running'), Type.Literal('done')]),
  filter: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Type.String({ format: 'date-time' }),
  finishedAt: Nullable(Type.String({ format: 'date-time' })),
});
export type CancelBatch = Static<typeof CancelBatch>;
