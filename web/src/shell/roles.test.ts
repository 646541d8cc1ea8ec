import { describe, expect, test } from 'vitest';
import { landingOf, pageOfPath, visiblePages } from './roles.ts';

const ids = (roles: string[]) => visiblePages(roles).map((p) => p.id);

describe('pages by role', () => {
  test('each role sees only the entries it may use', () => {
    expect(ids(['requester'])).toEqual(['portal', 'myRequests', 'approvals']);
    expect(ids(['agent'])).toEqual(['tasks', 'approvals']);
    expect(ids(['process-owner'])).toEqual(['designer']);
    expect(ids(['form-admin'])).toEqual(['forms']);
    expect(ids(['tenant-admin'])).toEqual(['portal', 'myRequests', 'tasks', 'approvals', 'designer', 'forms', 'admin']);
    expect(ids(['worker'])).toEqual([]);
  });

  test('a user lands on the page of their most encompassing role', () => {
    expect(landingOf(['requester'])).toBe('/portal');
    expect(landingOf(['agent'])).toBe('/tasks');
    expect(landingOf(['process-owner'])).toBe('/designer');
    expect(landingOf(['form-admin'])).toBe('/forms');
    expect(landingOf(['tenant-admin'])).toBe('/admin');
    expect(landingOf(['requester', 'agent'])).toBe('/tasks');
    expect(landingOf(['worker'])).toBeUndefined();
  });

  test('a path belongs to the entry with the longest matching prefix', () => {
    expect(pageOfPath('/portal/requests')?.id).toBe('myRequests');
    expect(pageOfPath('/portal')?.id).toBe('portal');
    expect(pageOfPath('/designer/incident')?.id).toBe('designer');
    expect(pageOfPath('/portals')).toBeUndefined();
  });
});
