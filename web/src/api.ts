// The REST client: JSON over fetch with the session's bearer token. A 401 ends the session.
export interface Session {
  token: string;
  tenant: string;
  user: { id: string; username: string; roles: string[]; groups: string[] };
}

const KEY = 'serviceloom.session';
const listeners = new Set<(s: Session | undefined) => void>();

export function loadSession(): Session | undefined {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session) localStorage.setItem(KEY, JSON.stringify(session));
  else localStorage.removeItem(KEY);
  for (const l of listeners) l(session);
}

export function onSessionChange(listener: (s: Session | undefined) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Array<{ elementId?: string; message: string }>,
  ) {
    super(message);
  }
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const session = loadSession();
  const headers: Record<string, string> = {};
  if (body !== undefined) headers['content-type'] = 'application/json';
  if (session) headers.authorization = `Bearer ${session.token}`;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  const data = text ? JSON.parse(text) : undefined;
  if (!res.ok) {
    if (res.status === 401 && session && !path.endsWith('/auth/login')) saveSession(undefined);
    const details = data?.details as ApiError['details'];
    const detail = details?.length ? `: ${details.map((d) => (d.elementId ? `${d.elementId}: ${d.message}` : d.message)).join('; ')}` : '';
    throw new ApiError(res.status, data?.code ?? 'HTTP_ERROR', `${data?.message ?? res.statusText}${detail}`, details);
  }
  return data as T;
}

export async function login(tenant: string, username: string, password: string): Promise<Session> {
  const reply = await api<Omit<Session, 'tenant'>>('POST', '/api/v1/auth/login', { tenant, username, password });
  const session = { ...reply, tenant };
  saveSession(session);
  return session;
}

export interface DefinitionSummary {
  id: string;
  key: string;
  version: number;
  name: string | null;
  deployedAt: string;
  deployedBy: string | null;
  instances?: { active: number; total: number };
}

export interface Draft {
  key: string;
  bpmnXml: string;
  updatedAt: string;
  updatedBy: string | null;
}
