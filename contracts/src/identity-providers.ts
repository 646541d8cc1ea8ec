// OpenID Connect identity providers of a tenant, for tenant admins.
import { type Static, Type } from 'typebox';
import { GROUP_ID_PATTERN } from './common.ts';

const Text = (max = 500) => Type.String({ minLength: 1, maxLength: max });
const RoleList = Type.Array(Text(50), { maxItems: 20 });

export const ProviderClaims = Type.Object(
  {
    username: Type.Optional(Text(100)),
    displayName: Type.Optional(Text(100)),
    groups: Type.Optional(Text(100)),
    roles: Type.Optional(Text(100)),
    tenant: Type.Optional(Text(100)),
  },
  {
    additionalProperties: false,
    description: 'Which ID token claims name the user, their groups and roles, and (optionally) must equal the tenant id',
  },
);
export type ProviderClaims = Static<typeof ProviderClaims>;

const ProviderFields = {
  name: Text(200),
  issuer: Text(2000),
  clientId: Text(500),
  clientSecret: Type.Optional(Type.String({ maxLength: 2000, description: 'write-only; "" removes it' })),
  scopes: Type.Optional(Text(500)),
  claims: Type.Optional(ProviderClaims),
  roleMapping: Type.Optional(Type.Record(Type.String({ maxLength: 200 }), RoleList, { description: 'issuer group or role -> roles' })),
  groupMapping: Type.Optional(
    Type.Record(Type.String({ maxLength: 200 }), Type.String({ pattern: GROUP_ID_PATTERN }), { description: 'issuer group -> group id' }),
  ),
  defaultRoles: Type.Optional(RoleList),
  autoCreateUsers: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
};

export const CreateIdentityProviderBody = Type.Object(
  { id: Type.String({ pattern: GROUP_ID_PATTERN }), ...ProviderFields },
  { additionalProperties: false },
);
export type CreateIdentityProviderBody = Static<typeof CreateIdentityProviderBody>;

export const UpdateIdentityProviderBody = Type.Partial(Type.Object(ProviderFields, { additionalProperties: false }));
export type UpdateIdentityProviderBody = Static<typeof UpdateIdentityProviderBody>;

export const IdentityProvider = Type.Object({
  id: Type.String(),
  name: Type.String(),
  issuer: Type.String(),
  clientId: Type.String(),
  hasClientSecret: Type.Boolean(),
  scopes: Type.String(),
  claims: ProviderClaims,
  roleMapping: Type.Record(Type.String(), Type.Array(Type.String())),
  groupMapping: Type.Record(Type.String(), Type.String()),
  defaultRoles: Type.Array(Type.String()),
  autoCreateUsers: Type.Boolean(),
  enabled: Type.Boolean(),
  redirectUri: Type.String({ description: 'register this at the issuer' }),
  loginUrl: Type.String({ description: 'send a browser here to sign in' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type IdentityProvider = Static<typeof IdentityProvider>;

export const IdentityProviderList = Type.Array(IdentityProvider);
export type IdentityProviderList = Static<typeof IdentityProviderList>;
