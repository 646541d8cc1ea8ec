// One attempt of a send, turned into an outcome: `sent`, `blocked` (the egress guard refused the
// address: another try would be refused too) or `failed`, with a short error that never carries
// the channel's secrets (a token in a URL can turn up in a library's message).
import { EgressBlocked } from '../../platform/egress/guard.ts';
import { PartialFailure, PermanentFailure, type SendContext } from './message.ts';
import { SENDERS } from './senders/index.ts';

export interface Outcome {
  status: 'sent' | 'failed' | 'blocked';
  error?: string;
  /** Not worth retrying. */
  permanent?: boolean;
  /** Email: who has the mail by now. */
  delivered?: string[];
}

export async function attemptSend(ctx: SendContext): Promise<Outcome> {
  try {
    await SENDERS[ctx.channel.kind](ctx);
    return { status: 'sent' };
  } catch (e) {
    const error = scrub((e as Error).message || String(e), ctx);
    if (e instanceof EgressBlocked) return { status: 'blocked', error, permanent: true };
    if (e instanceof PermanentFailure) return { status: 'failed', error, permanent: true };
    return { status: 'failed', error, delivered: e instanceof PartialFailure ? e.delivered : ctx.notification.delivered };
  }
}

function scrub(message: string, { channel }: SendContext): string {
  let text = message;
  for (const secret of [channel.url, channel.secret, channel.password]) {
    if (secret && secret.length >= 4) text = text.split(secret).join('***');
  }
  if (channel.url) {
    const url = new URL(channel.url);
    for (const value of url.searchParams.values()) if (value.length >= 4) text = text.split(value).join('***');
    for (const segment of url.pathname.split('/').slice(2)) if (segment.length >= 8) text = text.split(segment).join('***');
  }
  return text.slice(0, 500);
}
