// A Microsoft Teams incoming webhook: a MessageCard (what the Office 365 connector and the
// Workflows "post to a channel when a webhook request is received" template both take).
import { messageOf, type Sender } from '../message.ts';
import { postJson } from './http.ts';

export const sendTeams: Sender = async ({ channel, notification, policy }) => {
  const { subject, body } = messageOf(notification);
  await postJson(
    channel.url as string,
    {
      '@type': 'MessageCard',
      '@context': 'https://schema.org/extensions',
      summary: subject,
      themeColor: '1677FF',
      title: subject,
      text: body.replace(/\n/g, '\n\n'),
      ...(notification.ticket
        ? {
            sections: [
              {
                facts: [
                  { name: 'Ticket', value: notification.ticket },
                  { name: 'Event', value: notification.event },
                ],
              },
            ],
          }
        : {}),
    },
    policy,
  );
};
