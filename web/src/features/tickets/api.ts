// The ITSM API as the ticket, inbox, portal and approval pages use it. Tickets go through the
// contracts' typed client; the catalog and approvals (built by other parts, not yet in the
// contracts) through plain JSON calls that answer `undefined` while the route does not exist.
import type { Attachment, Ticket, TicketList, TicketQuery } from '@serviceloom/contracts';
import i18n from 'i18next';
import { ApiError, api, loadSession } from '../../api.ts';

export type { Ticket, TicketList, TicketQuery };
export type TicketListItem = TicketList['items'][number];

export interface TimelineEntry {
  at: string;
  kind: string;
  actor: { id: string; username: string; displayName: string } | null;
  data: Record<string, unknown>;
}

export interface CatalogItem {
  key: string;
  name: string;
  category?: string | null;
  description?: string | null;
  formKey?: string | null;
}

/** The catalog names items in each language (`{ en, 'zh-CN' }`): shown in the user's, else English. */
type Localized = string | Record<string, string> | null | undefined;
type RawCatalogItem = Omit<CatalogItem, 'name' | 'description'> & { name: Localized; description?: Localized };

function inLanguage(text: Localized): string {
  if (text === null || text === undefined) return '';
  if (typeof text === 'string') return text;
  return text[i18n.language] ?? text.en ?? Object.values(text)[0] ?? '';
}

export interface Approval {
  id: string;
  ticket: string;
  title: string;
  step?: unknown;
  state: string;
  requestedAt: string;
  decidedAt: string | null;
}

export const ticketsApi = {
  list: (query: TicketQuery) => api.call('tickets.list', { query }),
  get: (number: string) => api.call('tickets.get', { params: { number } }),
  create: (body: Parameters<typeof createBody>[0]) => api.call('tickets.create', { body: createBody(body) }),
  timeline: (number: string) => api.call('tickets.timeline', { params: { number } }) as Promise<TimelineEntry[]>,
  comment: (number: string, body: string, internal: boolean) =>
    api.call('tickets.comment', { params: { number }, body: internal ? { body, internal } : { body } }),
  act: (number: string, action: string, body: Record<string, unknown> = {}) =>
    api.call('tickets.act', { params: { number, action }, body }),
};

/** The files on a ticket: uploaded with the forms' attachments API, then put on the ticket. */
export const ticketFilesApi = {
  list: (number: string) => api.call('tickets.attachments', { params: { number } }),
  async add(number: string, file: File): Promise<Attachment> {
    const body = new FormData();
    body.append('file', file, file.name);
    const uploaded = await raw('POST', '/api/v1/attachments', body);
    const { id } = (await uploaded.json()) as Attachment;
    return api.call('tickets.attach', { params: { number }, body: { attachmentId: id } });
  },
  /** Saves the file: fetched with the session's token (a plain link would carry none). */
  async download(number: string, file: Attachment): Promise<void> {
    const res = await raw('GET', `/api/v1/tickets/${encodeURIComponent(number)}/attachments/${encodeURIComponent(file.id)}`);
    const url = URL.createObjectURL(await res.blob());
    const a = document.createElement('a');
    a.href = url;
    a.download = file.filename;
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  },
};

/** A call whose body or answer is not JSON (a file); errors as ApiError. */
async function raw(method: string, path: string, body?: FormData): Promise<Response> {
  const token = loadSession()?.token;
  const res = await fetch(path, { method, headers: token ? { authorization: `Bearer ${token}` } : {}, body });
  if (!res.ok) {
    const json = (await res.json().catch(() => ({}))) as { code?: string; message?: string };
    throw new ApiError(res.status, json.code ?? 'ERROR', json.message ?? res.statusText);
  }
  return res;
}

function createBody(body: {
  type: 'incident' | 'request';
  title: string;
  description?: string;
  impact?: number;
  urgency?: number;
  category?: string;
  catalogItem?: string;
  fields?: Record<string, unknown>;
}) {
  return body;
}

/** A JSON call outside the typed contract; a 404 for the route itself answers `undefined`. */
async function plain<T>(method: string, path: string, body?: unknown): Promise<T | undefined> {
  const token = loadSession()?.token;
  const res = await fetch(path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  let json: Record<string, unknown> | undefined;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
  } catch {
    // not JSON (a proxy's error page): judged by the status alone
  }
  if (res.status === 404 && (!json || json.code === 'NOT_FOUND' || json.code === 'ROUTE_NOT_FOUND' || !json.code)) return undefined;
  if (!res.ok) throw new ApiError(res.status, String(json?.code ?? 'ERROR'), String(json?.message ?? res.statusText));
  return json as T;
}

export const catalogApi = {
  /** The catalog, or `undefined` when this server has none yet. */
  list: () =>
    plain<RawCatalogItem[] | { items: RawCatalogItem[] }>('GET', '/api/v1/catalog').then((r) =>
      (Array.isArray(r) ? r : (r?.items ?? [])).map((i) => ({ ...i, name: inLanguage(i.name), description: inLanguage(i.description) })),
    ),
};

export const approvalsApi = {
  /** My approvals, or `undefined` when this server has no approvals yet. */
  list: (state = 'requested') =>
    plain<Approval[] | { items: Approval[] }>('GET', `/api/v1/approvals?state=${encodeURIComponent(state)}`).then((r) =>
      Array.isArray(r) ? r : r?.items,
    ),
  decide: (id: string, decision: 'approve' | 'reject', comment?: string) =>
    plain<unknown>('POST', `/api/v1/approvals/${encodeURIComponent(id)}/${decision}`, comment ? { comment } : {}),
};

/** The process behind a ticket, for its diagram: the XML and where the instance stands. */
export async function processOf(ticket: Ticket): Promise<{ xml: string; active: string[] | undefined } | undefined> {
  const key = {
    incident: 'itsm-incident',
    request: 'itsm-request',
    problem: 'itsm-problem',
    change: 'itsm-change',
    release: 'itsm-release',
  }[ticket.type];
  const versions = await api.call('definitions.versions', { params: { key } });
  const version = versions.find((v) => v.version === ticket.definitionVersion) ?? versions[0];
  if (!version) return undefined;
  const definition = await api.call('definitions.get', { params: { id: version.id } });
  let active: string[] | undefined;
  if (ticket.processInstanceId) {
    // Only those who may read the instance get its exact position; the others see it by state.
    active = await api
      .call('instances.get', { params: { id: ticket.processInstanceId } })
      .then((i) => i.activeElementIds)
      .catch(() => undefined);
  }
  return { xml: definition.bpmnXml, active };
}
