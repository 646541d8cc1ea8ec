// Tenants (platform admins), your own tenant's name and settings (tenant admins), and its follow-up budget.
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
    timerCycleMinimum: Type.String({
      maxLength: 40,
      description: 'The shortest timer cycle interval a deploy may have, an ISO 8601 duration such as PT1M (the default)',
    }),
    timezone: Type.Optional(
      Type.String({
        maxLength: 100,
        description: 'The tenant’s IANA time zone (UTC when not set): the zone of its built-in business calendar `default`',
      }),
    ),
  },
  { additionalProperties: false },
);
export type TenantSettings = Static<typeof TenantSettings>;

/** Your tenant's budget of follow-ups a minute, what this server process spent of it, and what waits. */
export const TenantUsage = Type.Object({
  perMinute: Type.Integer({ description: 'Follow-ups the tenant may run a minute in each server process (0: no limit)' }),
  used: Type.Integer({ description: 'Follow-ups run in the last minute by this server process' }),
  deferred: Type.Integer({ description: 'Follow-ups postponed in the last minute because the budget was spent' }),
  lastDeferredAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  postponedNow: Type.Integer({ description: 'Outbox rows waiting now because they were postponed' }),
});
export type TenantUsage = Static<typeof TenantUsage>;

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
