// Messages and signals.
import { type Static, Type } from 'typebox';
import { Variables } from './common.ts';

export const MessageBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    correlationKey: Type.Optional(Type.String({ maxLength: 500 })),
    variables: Type.Optional(Variables),
  },
  { additionalProperties: false },
);
export type MessageBody = Static<typeof MessageBody>;

export const MessageReply = Type.Object({ correlated: Type.Integer() });
export type MessageReply = Static<typeof MessageReply>;

export const SignalBody = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }), variables: Type.Optional(Variables) },
  { additionalProperties: false },
);
export type SignalBody = Static<typeof SignalBody>;

export const SignalReply = Type.Object({ delivered: Type.Integer() });
export type SignalReply = Static<typeof SignalReply>;
