// A WeCom (企业微信) group robot: markdown message; the key is in the URL.
import { messageOf, type Sender } from '../message.ts';
import { checkErrcode, postJson } from './http.ts';

/** WeCom refuses markdown content over 4096 bytes. */
const MAX_BYTES = 4096;

export const sendWecom: Sender = async ({ channel, notification, policy }) => {
  const { subject, body } = messageOf(notification);
  let content = `**${subject}**\n\n${body}`;
  while (Buffer.byteLength(content) > MAX_BYTES) content = `${content.slice(0, Math.floor(content.length * 0.9))}…`;
  const { text } = await postJson(channel.url as string, { msgtype: 'markdown', markdown: { content } }, policy);
  checkErrcode(text);
};
