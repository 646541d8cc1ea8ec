// Configuration from the environment: SERVICELOOM_TRUST_PROXY, whose mistakes would either let
// clients pick their own address or lump every client behind a proxy together, and the tenant budgets.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../src/platform/config.ts';

describe('SERVICELOOM_TRUST_PROXY', () => {
  const trust = (value: string | undefined) => loadConfig({ SERVICELOOM_TRUST_PROXY: value }).trustProxy;

  it('believes no proxy unless told', () => {
    expect(trust(undefined)).toBe(false);
    expect(trust('')).toBe(false);
    expect(trust('0')).toBe(false);
  });

  it('takes a number of hops, or proxy addresses and CIDRs', () => {
    expect(trust('2')).toBe(2);
    expect(trust('10.0.0.0/8, 127.0.0.1,::1, loopback')).toEqual(['10.0.0.0/8', '127.0.0.1', '::1', 'loopback']);
  });

  it('refuses anything else, naming the variable', () => {
    expect(() => trust('true')).toThrow(/SERVICELOOM_TRUST_PROXY .*"true"/);
    expect(() => trust('proxy.example.com')).toThrow(/SERVICELOOM_TRUST_PROXY/);
  });
});

describe('tenant budgets', () => {
  it('default to 1,200 follow-ups and 60,000 API starts a minute, each overridable, 0 for no limit', () => {
    expect(loadConfig({})).toMatchObject({ tenantBudgetPerMinute: 1200, tenantStartBudgetPerMinute: 60_000 });
    expect(loadConfig({ SERVICELOOM_TENANT_BUDGET: '300', SERVICELOOM_TENANT_START_BUDGET: '0' })).toMatchObject({
      tenantBudgetPerMinute: 300,
      tenantStartBudgetPerMinute: 0,
    });
  });

  it('refuses what is not a count, naming the variable', () => {
    expect(() => loadConfig({ SERVICELOOM_TENANT_START_BUDGET: 'lots' })).toThrow(/SERVICELOOM_TENANT_START_BUDGET .*"lots"/);
  });
});
