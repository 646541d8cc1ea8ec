// Users of a tenant, for tenant admins.
import { type Static, Type } from 'typebox';
import { EMAIL_PATTERN, GROUP_ID_PATTERN, LocaleName, Nullable, ROLES } from './common.ts';

const RoleName = Type.String({ minLength: 1, maxLength: 50, description: `one of ${ROLES.join(', ')}` });
const GroupId = Type.String({ pattern: GROUP_ID_PATTERN });
const Password = Type.String({ minLength: 1, maxLength: 1000, description: 'at least 8 characters' });
const ManagerId = Type.String({
  minLength: 1,
  maxLength: 200,
  description: 'id of another user of the tenant; the chain of managers may not loop back',
});
const Email = Type.String({
  pattern: EMAIL_PATTERN,
  maxLength: 254,
  description: 'unique in the tenant, compared without regard to case',
});
const Timezone = Type.String({ minLength: 1, maxLength: 100, description: 'an IANA time zone, such as Asia/Shanghai' });

export const User = Type.Object({
  id: Type.String(),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
  disabled: Type.Boolean(),
  lockedUntil: Nullable(Type.String({ format: 'date-time' })),
  identityProvider: Nullable(Type.String()),
  managerId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  locale: Nullable(LocaleName),
  timezone: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type User = Static<typeof User>;

export const UserList = Type.Array(User);
export type UserList = Static<typeof UserList>;

export const CreateUserBody = Type.Object(
  {
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.Optional(Password),
    displayName: Type.Optional(Type.String({ maxLength: 200 })),
    roles: Type.Optional(Type.Array(RoleName, { maxItems: 20 })),
    groups: Type.Optional(Type.Array(GroupId, { maxItems: 200 })),
    managerId: Type.Optional(Nullable(ManagerId)),
    email: Type.Optional(Nullable(Email)),
    locale: Type.Optional(Nullable(LocaleName)),
    timezone: Type.Optional(Nullable(Timezone)),
  },
  { additionalProperties: false },
);
export type CreateUserBody = Static<typeof CreateUserBody>;

export const UpdateUserBody = Type.Object(
  {
    displayName: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    roles: Type.Optional(Type.Array(RoleName, { maxItems: 20 })),
    groups: Type.Optional(Type.Array(GroupId, { maxItems: 200 })),
    password: Type.Optional(Password),
    disabled: Type.Optional(Type.Boolean()),
    unlock: Type.Optional(Type.Boolean({ description: 'clear a lockout after failed sign-ins' })),
    managerId: Type.Optional(Nullable(ManagerId)),
    email: Type.Optional(Nullable(Email)),
    locale: Type.Optional(Nullable(LocaleName)),
    timezone: Type.Optional(Nullable(Timezone)),
  },
  { additionalProperties: false },
);
export type UpdateUserBody = Static<typeof UpdateUserBody>;
