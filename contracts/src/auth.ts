// Signing in and out: password login, refresh, logout, password change, who am I, and the OIDC exchange.
import { type Static, Type } from 'typebox';
import { LocaleName, Nullable, TENANT_ID_PATTERN } from './common.ts';

export const LoginBody = Type.Object(
  {
    tenant: Type.String({ minLength: 1, maxLength: 100 }),
    username: Type.String({ minLength: 1, maxLength: 200 }),
    password: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type LoginBody = Static<typeof LoginBody>;

export const SessionReply = Type.Object({
  token: Type.String({ description: 'Access token: send as Authorization: Bearer <token>' }),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  refreshToken: Type.String({ description: 'Trade at POST /api/v1/auth/refresh for new tokens; usable once' }),
  refreshExpiresAt: Type.String({ format: 'date-time', description: 'When the session ends, however often refreshed' }),
  user: Type.Object({
    id: Type.String(),
    username: Type.String(),
    displayName: Nullable(Type.String()),
    roles: Type.Array(Type.String()),
    groups: Type.Array(Type.String()),
  }),
});
export type SessionReply = Static<typeof SessionReply>;

export const RefreshBody = Type.Object({ refreshToken: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false });
export type RefreshBody = Static<typeof RefreshBody>;

export const ChangePasswordBody = Type.Object(
  {
    currentPassword: Type.String({ minLength: 1, maxLength: 1000 }),
    newPassword: Type.String({ minLength: 1, maxLength: 1000 }),
  },
  { additionalProperties: false },
);
export type ChangePasswordBody = Static<typeof ChangePasswordBody>;

export const Me = Type.Object({
  id: Type.String(),
  tenant: Type.String({ pattern: TENANT_ID_PATTERN }),
  username: Type.String(),
  displayName: Nullable(Type.String()),
  roles: Type.Array(Type.String()),
  groups: Type.Array(Type.String()),
  managerId: Nullable(Type.String()),
  email: Nullable(Type.String()),
  locale: Nullable(LocaleName),
  timezone: Nullable(Type.String()),
});
export type Me = Static<typeof Me>;

export const OidcFlowParams = Type.Object(
  { tenant: Type.String({ pattern: TENANT_ID_PATTERN, maxLength: 63 }), provider: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type OidcFlowParams = Static<typeof OidcFlowParams>;

export const OidcLoginQuery = Type.Object({ returnTo: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false });
export type OidcLoginQuery = Static<typeof OidcLoginQuery>;

export const OidcCallbackQuery = Type.Record(Type.String(), Type.String({ maxLength: 4000 }));
export type OidcCallbackQuery = Static<typeof OidcCallbackQuery>;

export const OidcExchangeBody = Type.Object(
  { tenant: Type.String({ minLength: 1, maxLength: 63 }), code: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);
export type OidcExchangeBody = Static<typeof OidcExchangeBody>;
