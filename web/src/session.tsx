// The signed-in user, for components: `useSession()` follows logins, logouts and expired tokens.
import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { loadSession, onSessionChange, type Session } from './api.ts';

const SessionContext = createContext<Session | undefined>(undefined);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState(loadSession);
  useEffect(() => onSessionChange(setSession), []);
  return <SessionContext.Provider value={session}>{children}</SessionContext.Provider>;
}

export const useSession = () => useContext(SessionContext);

export const hasRole = (session: Session | undefined, ...roles: string[]) => Boolean(session?.user.roles.some((r) => roles.includes(r)));
