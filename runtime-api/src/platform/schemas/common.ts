// Schemas shared by the routes.
import { Type } from 'typebox';

export const ErrorReply = Type.Object(
  {
    code: Type.String({ description: 'UPPER_SNAKE error code' }),
    message: Type.String(),
    details: Type.Optional(Type.Array(Type.Unknown())),
  },
  { description: 'An error: what went wrong, and for which fields or elements' },
);

/** The error replies a route can give, for OpenAPI. */
export function errors(...statuses: number[]) {
  return Object.fromEntries(statuses.map((s) => [s, ErrorReply]));
}

/** Process variables: any JSON object. */
export const Variables = Type.Unsafe<Record<string, unknown>>({
  type: 'object',
  additionalProperties: true,
  description: 'Process variables: a JSON object',
});

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });

export const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

export const Ok = Type.Object({ status: Type.String() });
