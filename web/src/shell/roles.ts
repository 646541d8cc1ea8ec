// Who may use which page: the navigation shows only these entries, the routes refuse the rest,
// and a user lands on the page of their most encompassing role. Mirrors the server's route roles.
import type { Role } from '@serviceloom/contracts';

export type PageId = 'portal' | 'myRequests' | 'approvals' | 'tasks' | 'designer' | 'forms' | 'admin';

export interface PageEntry {
  id: PageId;
  path: string;
  roles: readonly Role[];
}

/** The menu, in the order it shows. A tenant admin uses every page. */
export const PAGES: readonly PageEntry[] = [
  { id: 'portal', path: '/portal', roles: ['requester', 'tenant-admin'] },
  { id: 'myRequests', path: '/portal/requests', roles: ['requester', 'tenant-admin'] },
  { id: 'tasks', path: '/tasks', roles: ['agent', 'tenant-admin'] },
  { id: 'approvals', path: '/approvals', roles: ['requester', 'agent', 'tenant-admin'] },
  { id: 'designer', path: '/designer', roles: ['process-owner', 'tenant-admin'] },
  { id: 'forms', path: '/forms', roles: ['form-admin', 'tenant-admin'] },
  { id: 'admin', path: '/admin', roles: ['tenant-admin', 'platform-admin'] },
];

/** Where each role starts, most encompassing role first. */
const LANDING: ReadonlyArray<[Role, string]> = [
  ['tenant-admin', '/admin'],
  ['process-owner', '/designer'],
  ['form-admin', '/forms'],
  ['agent', '/tasks'],
  ['requester', '/portal'],
  ['platform-admin', '/admin'],
];

export const pageById = (id: PageId): PageEntry => PAGES.find((p) => p.id === id) as PageEntry;

export const mayUse = (roles: readonly string[], page: PageEntry): boolean => page.roles.some((r) => roles.includes(r));

export const visiblePages = (roles: readonly string[]): PageEntry[] => PAGES.filter((p) => mayUse(roles, p));

/** The page a user lands on after signing in; undefined for a user with no role the app serves. */
export function landingOf(roles: readonly string[]): string | undefined {
  return LANDING.find(([role]) => roles.includes(role))?.[1];
}

/** The menu entry a path belongs to (the longest matching prefix). */
export function pageOfPath(pathname: string): PageEntry | undefined {
  const matches = PAGES.filter((p) => pathname === p.path || pathname.startsWith(`${p.path}/`));
  return matches.sort((a, b) => b.path.length - a.path.length)[0];
}
