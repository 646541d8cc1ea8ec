// A DingTalk custom robot: markdown message. With a signing secret ("加签"), the URL carries
// `timestamp` (ms) and `sign` = urlencode(base64(HMAC-SHA256(secret, timestamp + "\n" + secret))).
import { createHmac } from 'node:crypto';
import { messageOf, type Sender } from '../message.ts';
import { checkErrcode, postJson } from './http.ts';

export function dingtalkSign(secret: string, timestamp: number): string {
  return createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
}

export const sendDingtalk: Sender = async ({ channel, notification, policy, now }) => {
  const url = new URL(channel.url as string);
  if (channel.secret) {
    // DingTalk refuses a timestamp more than an hour off its own clock.
    const timestamp = now;
    // URLSearchParams percent-encodes the base64 (+, /, =) as DingTalk expects.
    url.searchParams.set('timestamp', String(timestamp));
    url.searchParams.set('sign', dingtalkSign(channel.secret, timestamp));
  }
  const { subject, body } = messageOf(notification);
  const { text } = await postJson(
    url.toString(),
    { msgtype: 'markdown', markdown: { title: subject, text: `#### ${subject}\n\n${body}` } },
    policy,
  );
  checkErrcode(text);
};
