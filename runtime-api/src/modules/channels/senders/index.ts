// The sender of each channel kind.
import type { ChannelKind } from '@serviceloom/contracts';
import type { Sender } from '../message.ts';
import { sendDingtalk } from './dingtalk.ts';
import { sendEmail } from './email.ts';
import { sendSlack } from './slack.ts';
import { sendTeams } from './teams.ts';
import { sendWebhook } from './webhook.ts';
import { sendWecom } from './wecom.ts';

export const SENDERS: Record<ChannelKind, Sender> = {
  email: sendEmail,
  dingtalk: sendDingtalk,
  wecom: sendWecom,
  slack: sendSlack,
  teams: sendTeams,
  webhook: sendWebhook,
};
