// The generic webhook: `{ event, at, ticket, data }` as JSON, signed when the channel has a
// secret: `X-ServiceLoom-Signature: sha256=<hex HMAC-SHA256(secret, raw body)>`, which the
// receiver checks over the exact bytes it got.
import { createHmac } from 'node:crypto';
import type { Sender } from '../message.ts';
import { postJson } from './http.ts';

export const webhookSignature = (secret: string, raw: string) => `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;

export const sendWebhook: Sender = async ({ channel, notification, policy }) => {
  const raw = JSON.stringify({ event: notification.event, at: notification.at, ticket: notification.ticket, data: notification.data });
  await postJson(channel.url as string, raw, policy, {
    'x-serviceloom-event': notification.event,
    'x-serviceloom-delivery': notification.deliveryKey,
    ...(channel.secret ? { 'x-serviceloom-signature': webhookSignature(channel.secret, raw) } : {}),
  });
};
