// A Slack incoming webhook: `text` (the notification's fallback) and blocks (a header and the body).
import { messageOf, type Sender } from '../message.ts';
import { postJson } from './http.ts';

/** Slack reads `<...>` as links and mentions: &, < and > are escaped in text it formats. */
export const slackEscape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export const sendSlack: Sender = async ({ channel, notification, policy }) => {
  const message = messageOf(notification);
  const subject = message.subject;
  const body = slackEscape(message.body);
  await postJson(
    channel.url as string,
    {
      text: `${slackEscape(subject)}\n${body}`,
      blocks: [
        // Slack caps a header at 150 characters and a section at 3000.
        { type: 'header', text: { type: 'plain_text', text: subject.slice(0, 150), emoji: true } },
        { type: 'section', text: { type: 'mrkdwn', text: body.slice(0, 3000) || ' ' } },
      ],
    },
    policy,
  );
};
