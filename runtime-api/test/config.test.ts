// Configuration from the environment: SERVICELOOM_TRUST_PROXY, whose mistakes would either let
// clients pick their own address or lump every client behind a proxy together.
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
