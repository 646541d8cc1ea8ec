// The tenant's egress policy, and the check of a channel's addresses when it is saved: a host
// the guard refuses (loopback, private, link-local, or not resolving) answers 400 naming the
// field, unless the tenant's allow-list (PATCH /tenant { settings: { egressAllowHosts } }) names it.
import type { Work } from '../../platform/db/transactions.ts';
import { checkDestination, EgressBlocked, type EgressPolicy } from '../../platform/egress/guard.ts';
import { badRequest } from '../../platform/errors.ts';
import type { OpenChannel } from './message.ts';
import { smtpTarget } from './senders/email.ts';

export async function egressPolicyOf(work: Work): Promise<EgressPolicy> {
  const row = (await work.tx('tenants').where({ id: work.tenantId }).first('settings')) as { settings?: unknown } | undefined;
  const settings = (typeof row?.settings === 'string' ? JSON.parse(row.settings) : (row?.settings ?? {})) as {
    egressAllowHosts?: string[];
  };
  return { allowHosts: settings.egressAllowHosts ?? [] };
}

/** Where the channel connects to, and the field that names it. */
export function destinationOf(channel: OpenChannel): { url: URL; field: string } {
  return channel.kind === 'email'
    ? { url: smtpTarget(channel.host as string, channel.port as number), field: 'config.host' }
    : { url: new URL(channel.url as string), field: 'config.url' };
}

export async function checkChannelEgress(channel: OpenChannel, policy: EgressPolicy): Promise<void> {
  const { url, field } = destinationOf(channel);
  try {
    await checkDestination(url, policy);
  } catch (e) {
    if (!(e instanceof EgressBlocked)) throw e;
    throw badRequest('EGRESS_BLOCKED', `${field}: ${e.message}`, [{ field, in: 'body', message: e.message }]);
  }
}
