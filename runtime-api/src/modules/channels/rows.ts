// The channels' and deliveries' rows and their API shapes. A channel's row keeps in clear only
// what may be shown (the URL with its tokens masked); its secrets are one sealed JSON.
import type { Channel, ChannelKind, Delivery, DeliveryStatus } from '@serviceloom/contracts';
import { open, seal } from '../../platform/auth/sealed.ts';
import type { OpenChannel } from './message.ts';

export interface ChannelRow {
  tenant_id: string;
  id: string;
  kind: ChannelKind;
  config: ShownConfig | string;
  secrets: string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

export interface ShownConfig {
  host?: string;
  port?: number;
  secure?: boolean;
  user?: string | null;
  from?: string;
  url?: string;
}

export interface Secrets {
  url?: string;
  secret?: string | null;
  password?: string | null;
}

export interface DeliveryRow {
  tenant_id: string;
  id: string;
  delivery_key: string;
  channel: string;
  ticket: string | null;
  event: string;
  status: DeliveryStatus;
  attempt: number;
  error: string | null;
  next_attempt_at: Date | string | null;
  created_at: Date | string;
  updated_at: Date | string;
}

const isoOf = (v: Date | string) => new Date(v).toISOString();
const json = <T>(v: T | string): T => (typeof v === 'string' ? (JSON.parse(v) as T) : v);

/** The sealed secrets are bound to their row: copied into another channel they do not open. */
const secretContext = (tenantId: string, id: string) => `itsm_channels:${tenantId}:${id}`;

export const sealSecrets = (key: Buffer, tenantId: string, id: string, secrets: Secrets) =>
  seal(key, JSON.stringify(secrets), secretContext(tenantId, id));

export function openSecrets(key: Buffer, row: Pick<ChannelRow, 'tenant_id' | 'id' | 'secrets'>): Secrets {
  return row.secrets ? (JSON.parse(open(key, row.secrets, secretContext(row.tenant_id, row.id))) as Secrets) : {};
}

/**
 * A URL as it may be shown: scheme, host and port, the first path segment, and the names of
 * its query parameters. Robot and webhook URLs carry their token in the path (Slack, Teams) or
 * the query (DingTalk's access_token, WeCom's key): neither is shown.
 */
export function maskUrl(raw: string): string {
  const url = new URL(raw);
  const segments = url.pathname.split('/').filter(Boolean);
  const path = segments.length > 1 ? `/${segments[0]}/***` : segments.length === 1 ? `/${segments[0]}` : '';
  const query = [...url.searchParams.keys()].map((k) => `${encodeURIComponent(k)}=***`).join('&');
  return `${url.protocol}//${url.host}${path}${query ? `?${query}` : ''}`;
}

export function channelOf(row: ChannelRow, secrets: Secrets): Channel {
  return {
    id: row.id,
    kind: row.kind,
    config: json<ShownConfig>(row.config),
    hasSecret: !!(secrets.secret || secrets.password),
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}

export function openChannel(row: ChannelRow, secrets: Secrets): OpenChannel {
  const shown = json<ShownConfig>(row.config);
  return {
    id: row.id,
    kind: row.kind,
    ...shown,
    url: secrets.url ?? shown.url,
    secret: secrets.secret ?? null,
    password: secrets.password ?? null,
  };
}

export function deliveryOf(row: DeliveryRow): Delivery {
  return {
    id: row.id,
    deliveryKey: row.delivery_key,
    channel: row.channel,
    ticket: row.ticket,
    event: row.event,
    status: row.status,
    attempt: row.attempt,
    error: row.error,
    nextAttemptAt: row.next_attempt_at ? isoOf(row.next_attempt_at) : null,
    createdAt: isoOf(row.created_at),
    updatedAt: isoOf(row.updated_at),
  };
}
