// Notification channels (where the notifications module's messages go out: SMTP, DingTalk and
// WeCom robots, Slack and Teams incoming webhooks, a signed generic webhook) and their deliveries.
// Secrets (SMTP password, signing secret, the token in a robot's URL) are written, never read back.
import { type Static, Type } from 'typebox';
import { Nullable } from './common.ts';

export const CHANNEL_KINDS = ['email', 'dingtalk', 'wecom', 'slack', 'teams', 'webhook'] as const;
export type ChannelKind = (typeof CHANNEL_KINDS)[number];
export const ChannelKind = Type.Union(
  [
    Type.Literal('email'),
    Type.Literal('dingtalk'),
    Type.Literal('wecom'),
    Type.Literal('slack'),
    Type.Literal('teams'),
    Type.Literal('webhook'),
  ],
  { description: 'email: SMTP; dingtalk, wecom: chat robots; slack, teams: incoming webhooks; webhook: a signed JSON POST' },
);

export const CHANNEL_ID_PATTERN = '^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$';

export const DELIVERY_STATUSES = ['sending', 'sent', 'failed', 'retrying', 'blocked'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];
/** `sending`: the attempt is under way (its outcome is recorded once the receiver answered). */
const DeliveryStatus = Type.Union([
  Type.Literal('sending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('retrying'),
  Type.Literal('blocked'),
]);

/** What a channel is given: by kind, email takes host..from, the others url and secret. */
export const ChannelConfigInput = Type.Object(
  {
    host: Type.Optional(Type.String({ minLength: 1, maxLength: 253, description: 'email: the SMTP server' })),
    port: Type.Optional(Type.Integer({ minimum: 1, maximum: 65535, description: 'email: the SMTP port' })),
    secure: Type.Optional(Type.Boolean({ description: 'email: TLS from the start (465); false: STARTTLS when offered' })),
    user: Type.Optional(Nullable(Type.String({ maxLength: 320, description: 'email: SMTP user' }))),
    password: Type.Optional(
      Nullable(Type.String({ maxLength: 1000, description: 'email: SMTP password; write-only (absent keeps it, null clears it)' })),
    ),
    from: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: 'email: the From address' })),
    url: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description:
          'chat and webhook kinds: where to post; write-only in full (the reply masks its tokens; sending the masked URL back keeps it)',
      }),
    ),
    secret: Type.Optional(
      Nullable(
        Type.String({
          maxLength: 1000,
          description: 'dingtalk: the robot signing secret (SEC...); webhook: the HMAC key; write-only (absent keeps it, null clears it)',
        }),
      ),
    ),
  },
  { additionalProperties: false },
);
export type ChannelConfigInput = Static<typeof ChannelConfigInput>;

export const CreateChannelBody = Type.Object(
  {
    id: Type.String({ pattern: CHANNEL_ID_PATTERN, description: 'Letters, digits, _ . - (at most 100)' }),
    kind: ChannelKind,
    config: ChannelConfigInput,
  },
  { additionalProperties: false },
);
export type CreateChannelBody = Static<typeof CreateChannelBody>;

export const UpdateChannelBody = Type.Object({ kind: ChannelKind, config: ChannelConfigInput }, { additionalProperties: false });
export type UpdateChannelBody = Static<typeof UpdateChannelBody>;

export const Channel = Type.Object({
  id: Type.String(),
  kind: ChannelKind,
  config: Type.Object(
    {
      host: Type.Optional(Type.String()),
      port: Type.Optional(Type.Integer()),
      secure: Type.Optional(Type.Boolean()),
      user: Type.Optional(Nullable(Type.String())),
      from: Type.Optional(Type.String()),
      url: Type.Optional(Type.String({ description: 'the URL with its tokens masked' })),
    },
    { description: 'the config without its secrets' },
  ),
  hasSecret: Type.Boolean({ description: 'a signing secret (chat, webhook) or an SMTP password is set' }),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Channel = Static<typeof Channel>;

export const ChannelList = Type.Object({ items: Type.Array(Channel) });
export type ChannelList = Static<typeof ChannelList>;

export const ChannelTestBody = Type.Object(
  {
    to: Type.Optional(Type.String({ minLength: 3, maxLength: 320, description: 'email: the address to send the test to; default: yours' })),
  },
  { additionalProperties: false },
);
export type ChannelTestBody = Static<typeof ChannelTestBody>;

export const ChannelTestReply = Type.Object({
  status: Type.Union([Type.Literal('sent'), Type.Literal('failed'), Type.Literal('blocked')]),
  error: Type.Optional(Type.String()),
});
export type ChannelTestReply = Static<typeof ChannelTestReply>;

export const Delivery = Type.Object({
  id: Type.String(),
  deliveryKey: Type.String(),
  channel: Type.String(),
  ticket: Nullable(Type.String()),
  event: Type.String(),
  status: DeliveryStatus,
  attempt: Type.Integer({ description: 'attempts made so far' }),
  error: Nullable(Type.String()),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time', description: 'retrying: when the next attempt is due' })),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});
export type Delivery = Static<typeof Delivery>;

export const DeliveryQuery = Type.Object(
  {
    status: Type.Optional(DeliveryStatus),
    ticket: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    channel: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, description: 'default 100' })),
  },
  { additionalProperties: false },
);
export type DeliveryQuery = Static<typeof DeliveryQuery>;

export const DeliveryList = Type.Object({ items: Type.Array(Delivery, { description: 'newest first' }) });
export type DeliveryList = Static<typeof DeliveryList>;
