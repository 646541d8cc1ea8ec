// The audit log of a tenant.
import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

export const AuditEntry = Type.Object({
  id: Type.String(),
  at: Type.String({ format: 'date-time' }),
  actorId: Nullable(Type.String()),
  actor: Type.String(),
  action: Type.String({ description: 'such as user.create, group.member_add, definition.deploy, tenant.settings' }),
  targetType: Type.String(),
  targetId: Nullable(Type.String()),
  before: Type.Unknown(),
  after: Type.Unknown(),
});
export type AuditEntry = Static<typeof AuditEntry>;

export const AuditLog = Type.Array(AuditEntry);
export type AuditLog = Static<typeof AuditLog>;

export const AuditQuery = Type.Object(
  {
    action: Type.Optional(Type.String({ maxLength: 100 })),
    targetType: Type.Optional(Type.String({ maxLength: 100 })),
    targetId: Type.Optional(Type.String({ maxLength: 200 })),
    actor: Type.Optional(Type.String({ maxLength: 300 })),
    before: Type.Optional(Type.String({ maxLength: 100, description: 'entries older than this entry id' })),
    limit: Type.Optional(Type.String({ pattern: '^(?:[1-9][0-9]?|[1-4][0-9]{2}|500)$', description: '1 to 500; default 100' })),
  },
  { additionalProperties: false },
);
export type AuditQuery = Static<typeof AuditQuery>;
