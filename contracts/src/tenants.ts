// Tenants (platform admins) and your own tenant's name and settings (tenant admins).
import { type Static, Type } from 'typebox';
import { EGRESS_HOST_PATTERN, TENANT_ID_PATTERN } from './common.ts';

export const Tenant = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Type.Union([Type.Literal('active'), Type.Literal('suspended'), Type.Literal('deleted')]),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Tenant = Static<typeof Tenant>;

export const TenantList = Type.Array(Tenant);
export type TenantList = Static<typeof TenantList>;

export const TenantSettings = Type.Object(
  {
    egressAllowHosts: Type.Array(Type.String({ pattern: EGRESS_HOST_PATTERN, maxLength: 300 }), {
      maxItems: 100,
      description: 'Hosts (host, host:port, *.domain) connectors and identity providers may reach even on loopback or private addresses',
    }),
  },
  { additionalProperties: false },
);
export type TenantSettings = Static<typeof TenantSettings>;

export const OwnTenant = Type.Intersect([Tenant, Type.Object({ settings: TenantSettings })]);
export type OwnTenant = Static<typeof OwnTenant>;

export const TenantParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 63 }) }, { additionalProperties: false });
export type TenantParams = Static<typeof TenantParams>;

const Name = Type.String({ minLength: 1, maxLength: 200 });

export const CreateTenantBody = Type.Object(
  {
    id: Type.String({ pattern: TENANT_ID_PATTERN, description: 'lower-case letters, digits and hyphens' }),
    name: Name,
    admin: Type.Object(
      {
        username: Type.String({ minLength: 1, maxLength: 200 }),
        password: Type.String({ minLength: 1, maxLength: 1000 }),
        displayName: Type.Optional(Type.String({ maxLength: 200 })),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
export type CreateTenantBody = Static<typeof CreateTenantBody>;

export const RenameTenantBody = Type.Object({ name: Name }, { additionalProperties: false });
export type RenameTenantBody = Static<typeof RenameTenantBody>;

export const UpdateOwnTenantBody = Type.Object(
  { name: Type.Optional(Name), settings: Type.Optional(Type.Partial(TenantSettings)) },
  { additionalProperties: false },
);
export type UpdateOwnTenantBody = Static<typeof UpdateOwnTenantBody>;
