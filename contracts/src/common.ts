// Schemas and patterns the areas share. The patterns are the server's own: the API checks them,
// and the web app may use them in HTML pattern attributes.
import { Type } from 'typebox';

export const ROLES = ['platform-admin', 'tenant-admin', 'process-owner', 'form-admin', 'agent', 'requester', 'worker'] as const;
export type Role = (typeof ROLES)[number];

/** The languages a user may choose (the web app's translations). */
export const LOCALES = ['zh-CN', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const LocaleName = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], {
  description: 'the language of the user’s pages and notifications',
});
/** An e-mail address, loosely: something@domain.tld without spaces (the mail server has the last word). */
export const EMAIL_PATTERN = '^[^\\s@]+@[^\\s@]+\\.[^\\s@]+$';

export const TENANT_ID_PATTERN = '^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$';
export const GROUP_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';
export const FORM_KEY_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';
/** host, host:port, *.domain, an IPv4 address or a [IPv6] address, lower case. */
export const EGRESS_HOST_PATTERN =
  '^(?:\\*\\.)?(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?::\\d{1,5})?$|^\\[[0-9a-f:.]+\\](?::\\d{1,5})?$';

export const ErrorReply = Type.Object(
  {
    code: Type.String({ description: 'UPPER_SNAKE error code' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Unknown())),
  },
  { description: 'An error: what went wrong, and for which fields or elements' },
);

/** Process variables: any JSON object. */
export const Variables = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
  description: 'Process variables: a JSON object',
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Ok = Type.Object({ status: Type.String() });

/** The reply of a route that answers 204 No Content. */
export const NoContent = Type.Null();
