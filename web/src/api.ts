// The REST client: the contracts' typed client with the session's bearer token. A 401 ends the session.
import type { SessionReply } from '@serviceloom/contracts';
import { ApiError, createClient } from '@serviceloom/contracts/client';

export { ApiError };

export type Session = Pick<SessionReply, 'token'> & {
  tenant: string;
  user: Pick<SessionReply['user'], 'id' | 'username' | 'roles' | 'groups'>;
};

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

/** The API, as the signed-in user: `api.call('tasks.list')`. */
export const api = createClient({
  token: () => loadSession()?.token,
  onError: (error, route) => {
    // A wrong password is a 401 too; only an expired or revoked session ends the session.
    if (error.status === 401 && route !== 'auth.login' && loadSession()) saveSession(undefined);
  },
});

export async function login(tenant: string, username: string, password: string): Promise<Session> {
  const reply = await api.call('auth.login', { body: { tenant, username, password } });
  const session = { ...reply, tenant };
  saveSession(session);
  return session;
}

/**
 * Signs out: the stored session is gone at once (no request made meanwhile carries its token), the
 * server ends it (its token and refresh token stop working), and then the app hears of it, once the
 * page has moved to the login (telling it first would send the old page to the login with a
 * "come back here" that the next user would inherit).
 */
export async function logout(): Promise<void> {
  const token = loadSession()?.token;
  localStorage.removeItem(KEY);
  try {
    // Unreachable server: the token expires on its own.
    if (token) await fetch('/api/v1/auth/logout', { method: 'POST', headers: { authorization: `Bearer ${token}` } });
  } catch {
    // The browser has forgotten the session either way.
  } finally {
    saveSession(undefined);
  }
}
