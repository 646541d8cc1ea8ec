// Notification channels: tenant admins add, change and remove them, and send a test through one.
// Every address is checked by the egress guard when the channel is saved (a refusal names the
// field); the secrets are sealed into the row and never come back out of the API nor the audit.
import { randomUUID } from 'node:crypto';
import {
  type Channel,
  type ChannelConfigInput,
  type ChannelKind,
  type ChannelTestReply,
  type CreateChannelBody,
  EMAIL_PATTERN,
  type UpdateChannelBody,
} from '@serviceloom/contracts';
import { actorOf, audit } from '../../platform/audit.ts';
import type { Principal } from '../../platform/auth/tokens.ts';
import type { Transactions, Work } from '../../platform/db/transactions.ts';
import { badRequest, conflict, notFound } from '../../platform/errors.ts';
import { attemptSend } from './attempt.ts';
import { checkChannelEgress, egressPolicyOf } from './egress.ts';
import type { Locale, Notification } from './message.ts';
import { type ChannelRow, channelOf, maskUrl, openChannel, openSecrets, type Secrets, type ShownConfig, sealSecrets } from './rows.ts';

const EMAIL_FIELDS = ['host', 'port', 'secure', 'user', 'password', 'from'] as const;
const URL_FIELDS = ['url', 'secret'] as const;
const FROM_ADDRESS = new RegExp(EMAIL_PATTERN.replace(/^\^|\$$/g, ''));

export class ChannelService {
  constructor(
    private readonly transactions: Transactions,
    private readonly dataKey: Buffer,
  ) {}

  async list(p: Principal): Promise<Channel[]> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const rows = (await work.tx('itsm_channels').where({ tenant_id: p.tenantId }).orderBy('id')) as ChannelRow[];
      return rows.map((row) => channelOf(row, openSecrets(this.dataKey, row)));
    });
  }

  async get(p: Principal, id: string): Promise<Channel> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.row(work, id);
      return channelOf(row, openSecrets(this.dataKey, row));
    });
  }

  async create(p: Principal, body: CreateChannelBody): Promise<Channel> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      if (await work.tx('itsm_channels').where({ tenant_id: p.tenantId, id: body.id }).first('id')) {
        throw conflict('CHANNEL_EXISTS', `channel "${body.id}" exists; change it with PUT`);
      }
      const { shown, secrets } = configOf(body.kind, body.config, undefined);
      const row: ChannelRow = {
        tenant_id: p.tenantId,
        id: body.id,
        kind: body.kind,
        config: JSON.stringify(shown),
        secrets: sealSecrets(this.dataKey, p.tenantId, body.id, secrets),
        created_at: work.at,
        updated_at: work.at,
      };
      await checkChannelEgress(openChannel(row, secrets), await egressPolicyOf(work));
      await work.tx('itsm_channels').insert(row);
      const channel = channelOf(row, secrets);
      await audit(work, actorOf(p), { action: 'channel.create', targetType: 'channel', targetId: body.id, after: channel });
      return channel;
    });
  }

  async update(p: Principal, id: string, body: UpdateChannelBody): Promise<Channel> {
    return this.transactions.withTenant(p.tenantId, async (work) => {
      const existing = await this.row(work, id);
      const before = openSecrets(this.dataKey, existing);
      const { shown, secrets } = configOf(body.kind, body.config, { row: existing, secrets: before });
      await checkChannelEgress(openChannel({ ...existing, kind: body.kind, config: shown }, secrets), await egressPolicyOf(work));
      const update = {
        kind: body.kind,
        config: JSON.stringify(shown),
        secrets: sealSecrets(this.dataKey, p.tenantId, id, secrets),
        updated_at: work.at,
      };
      await work.tx('itsm_channels').where({ tenant_id: p.tenantId, id }).update(update);
      const channel = channelOf({ ...existing, ...update }, secrets);
      await audit(work, actorOf(p), {
        action: 'channel.update',
        targetType: 'channel',
        targetId: id,
        before: channelOf(existing, before),
        after: channel,
      });
      return channel;
    });
  }

  async remove(p: Principal, id: string): Promise<void> {
    await this.transactions.withTenant(p.tenantId, async (work) => {
      const existing = await this.row(work, id);
      await work.tx('itsm_channels').where({ tenant_id: p.tenantId, id }).delete();
      await audit(work, actorOf(p), {
        action: 'channel.delete',
        targetType: 'channel',
        targetId: id,
        before: channelOf(existing, openSecrets(this.dataKey, existing)),
      });
    });
  }

  /** Sends a test message now (not through the outbox) and tells how it went. */
  async test(p: Principal, id: string, to: string | undefined): Promise<ChannelTestReply> {
    const { channel, policy, notification, now } = await this.transactions.withTenant(p.tenantId, async (work) => {
      const row = await this.row(work, id);
      const user = (await work.tx('users').where({ tenant_id: p.tenantId, id: p.userId }).first('email', 'locale', 'display_name')) as
        | { email: string | null; locale: string | null; display_name: string | null }
        | undefined;
      const locale: Locale = user?.locale === 'zh-CN' ? 'zh-CN' : 'en';
      const address = to ?? user?.email ?? null;
      if (row.kind === 'email' && !address) {
        throw badRequest('NO_ADDRESS', 'you have no email address: give one as `to`', [
          { field: 'to', in: 'body', message: 'required: you have no email address' },
        ]);
      }
      if (address && !FROM_ADDRESS.test(address))
        throw badRequest('BAD_ADDRESS', `"${address}" is not an email address`, [
          { field: 'to', in: 'body', message: 'not an email address' },
        ]);
      return {
        channel: openChannel(row, openSecrets(this.dataKey, row)),
        policy: await egressPolicyOf(work),
        notification: testNotification(id, work.at, p, address, locale, user?.display_name ?? p.username),
        now: work.now,
      };
    });
    const outcome = await attemptSend({ channel, notification, policy, now });
    return outcome.status === 'sent' ? { status: 'sent' } : { status: outcome.status, error: outcome.error };
  }

  private async row(work: Work, id: string): Promise<ChannelRow> {
    const row = (await work.tx('itsm_channels').where({ tenant_id: work.tenantId, id }).first()) as ChannelRow | undefined;
    if (!row) throw notFound('channel', id);
    return row;
  }
}

const field = (name: string, message: string) => ({ field: `config.${name}`, in: 'body', message });

/**
 * Splits a channel's config into what is shown and what is sealed, checked for its kind. On an
 * update, an absent secret keeps the stored one (null or "" clears it), and an absent URL, or the
 * masked URL sent back as it was shown, keeps the stored URL.
 */
function configOf(
  kind: ChannelKind,
  config: ChannelConfigInput,
  stored: { row: ChannelRow; secrets: Secrets } | undefined,
): { shown: ShownConfig; secrets: Secrets } {
  const allowed: readonly string[] = kind === 'email' ? EMAIL_FIELDS : URL_FIELDS;
  const stray = Object.keys(config).filter((k) => !allowed.includes(k));
  if (stray.length) {
    throw badRequest(
      'CHANNEL_INVALID',
      `a ${kind} channel takes ${allowed.join(', ')}; not ${stray.join(', ')}`,
      stray.map((k) => field(k, `not a setting of a ${kind} channel`)),
    );
  }
  const keep = stored && stored.row.kind === kind ? stored.secrets : {};
  const secretOf = (given: string | null | undefined, old: string | null | undefined) =>
    given === undefined ? (old ?? null) : given === null || given === '' ? null : given;
  if (kind === 'email') {
    const missing = (['host', 'port', 'from'] as const).filter((k) => config[k] === undefined);
    if (missing.length)
      throw badRequest(
        'CHANNEL_INVALID',
        `an email channel needs ${missing.join(', ')}`,
        missing.map((k) => field(k, 'required')),
      );
    if (!/^[A-Za-z0-9.-]+$|^[0-9a-fA-F:]+$/.test(config.host as string)) {
      throw badRequest('CHANNEL_INVALID', 'config.host: not a host name or address', [field('host', 'not a host name or address')]);
    }
    if (!FROM_ADDRESS.test(config.from as string))
      throw badRequest('CHANNEL_INVALID', 'config.from: not an email address', [field('from', 'not an email address')]);
    return {
      shown: { host: config.host, port: config.port, secure: config.secure ?? false, user: config.user || null, from: config.from },
      secrets: { password: secretOf(config.password, keep.password) },
    };
  }
  // The URL stays across a change of kind (a webhook URL is a webhook URL); a secret does not.
  const storedUrl = stored?.secrets.url;
  const url = config.url === undefined || (storedUrl && config.url === maskUrl(storedUrl)) ? storedUrl : config.url;
  if (!url) throw badRequest('CHANNEL_INVALID', `a ${kind} channel needs a url`, [field('url', 'required')]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw badRequest('CHANNEL_INVALID', 'config.url: not a URL', [field('url', 'not a URL')]);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:')
    throw badRequest('CHANNEL_INVALID', 'config.url: use http: or https:', [field('url', 'use http: or https:')]);
  return { shown: { url: maskUrl(url) }, secrets: { url, secret: secretOf(config.secret, keep.secret) } };
}

function testNotification(
  channel: string,
  at: string,
  p: Principal,
  email: string | null,
  locale: Locale,
  displayName: string,
): Notification {
  const messages = {
    en: { subject: 'ServiceLoom test message', body: `This is a test of the notification channel "${channel}", sent by ${p.username}.` },
    'zh-CN': { subject: 'ServiceLoom 测试消息', body: `这是通知渠道“${channel}”的测试消息，由 ${p.username} 发送。` },
  };
  return {
    deliveryKey: `test:${randomUUID()}`,
    channel,
    event: 'channel.test',
    ticket: null,
    at,
    data: { test: true },
    recipients: [{ userId: p.userId, username: p.username, displayName, email, locale }],
    messages,
    defaultLocale: locale,
  };
}
