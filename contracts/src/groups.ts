// Groups of a tenant (user tasks name groups as their candidates), for tenant admins.
import { type Static, Type } from 'typebox';
import { GROUP_ID_PATTERN, Nullable } from './common.ts';

const ManagerId = Type.String({ minLength: 1, maxLength: 200, description: 'id of a user of the tenant who manages the group' });

export const Group = Type.Object({
  id: Type.String(),
  name: Type.String(),
  members: Type.Array(Type.Object({ id: Type.String(), username: Type.String() })),
  managerId: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
});
export type Group = Static<typeof Group>;

export const GroupList = Type.Array(Group);
export type GroupList = Static<typeof GroupList>;

export const CreateGroupBody = Type.Object(
  {
    id: Type.String({ pattern: GROUP_ID_PATTERN }),
    name: Type.String({ minLength: 1, maxLength: 200 }),
    managerId: Type.Optional(Nullable(ManagerId)),
  },
  { additionalProperties: false },
);
export type CreateGroupBody = Static<typeof CreateGroupBody>;

export const UpdateGroupBody = Type.Object(
  { name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), managerId: Type.Optional(Nullable(ManagerId)) },
  { additionalProperties: false },
);
export type UpdateGroupBody = Static<typeof UpdateGroupBody>;

export const MemberParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 200 }), userId: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type MemberParams = Static<typeof MemberParams>;
