// What a sender is given: the `notification.send` module event (NOTIFY-SEND.md, written by the
// notifications module) and the channel opened up (its secrets in clear, for the send only).
import type { ChannelKind } from '@serviceloom/contracts';
import type { EgressPolicy } from '../../platform/egress/guard.ts';

export type Locale = 'en' | 'zh-CN';

export interface Recipient {
  userId: string;
  username: string;
  displayName: string;
  email: string | null;
  locale: Locale;
}

export interface Notification {
  deliveryKey: string;
  channel: string;
  event: string;
  /** The ticket's number, or null. */
  ticket: string | null;
  at: string;
  data: Record<string, unknown>;
  recipients: Recipient[];
  messages: Record<Locale, { subject: string; body: string }>;
  defaultLocale: Locale;
  /** The attempt this is, from 1 (set on the channels module's own retries). */
  attempt?: number;
  /** Email: addresses an earlier attempt already reached, not mailed again. */
  delivered?: string[];
}

/** A channel with its secrets opened. Never logged, never returned. */
export interface OpenChannel {
  id: string;
  kind: ChannelKind;
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string | null;
  password?: string | null;
  from?: string;
  url?: string;
  secret?: string | null;
}

export interface SendContext {
  channel: OpenChannel;
  notification: Notification;
  policy: EgressPolicy;
  /** The server's clock, in ms. */
  now: number;
}

/** A failure that another attempt would not mend (no recipient, a removed channel): not retried. */
export class PermanentFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PermanentFailure';
  }
}

/** A failed send that reached some recipients (email): the retry leaves them out. */
export class PartialFailure extends Error {
  constructor(
    message: string,
    readonly delivered: string[],
  ) {
    super(message);
    this.name = 'PartialFailure';
  }
}

export type Sender = (ctx: SendContext) => Promise<void>;

/** The message in the channel's one language (chat channels and webhooks post once per event). */
export const messageOf = (n: Notification) => n.messages[n.defaultLocale] ?? n.messages.en;
