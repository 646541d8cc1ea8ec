// The request log never keeps credentials that arrive in a URL.
import { expect, it } from 'vitest';
import { redactUrl } from '../src/platform/logging.ts';

it('redacts credential query parameters from logged URLs', () => {
  expect(redactUrl('/api/v1/auth/oidc/acme/corp/callback?code=abc&state=xyz&iss=https%3A%2F%2Fidp')).toBe(
    '/api/v1/auth/oidc/acme/corp/callback?code=%5Bredacted%5D&state=%5Bredacted%5D&iss=https%3A%2F%2Fidp',
  );
  expect(redactUrl('/x?access_token=t&page=2')).toBe('/x?access_token=%5Bredacted%5D&page=2');
  expect(redactUrl('/api/v1/tasks?status=open')).toBe('/api/v1/tasks?status=open');
  expect(redactUrl('/health')).toBe('/health');
});
