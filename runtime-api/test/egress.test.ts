// The egress guard that connectors (and identity providers) go through: no loopback, private or
// link-local destination, after DNS and on every redirect, unless the tenant allow-lists the host.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isBlockedAddress } from '../src/platform/egress/addresses.ts';
import { allowListed, EgressBlocked, egressFetch, guardedFetch } from '../src/platform/egress/guard.ts';

let server: Server;
let port: number;
const hits: string[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(req.url ?? '');
    if (req.url === '/to-loopback') {
      res.writeHead(302, { location: `http://127.0.0.1:${port}/secret` }).end();
    } else if (req.url === '/to-metadata') {
      res.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
    } else if (req.url === '/hop') {
      res.writeHead(301, { location: '/hello' }).end();
    } else if (req.url === '/loop') {
      res.writeHead(302, { location: '/loop' }).end();
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`hello from ${req.url}`);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const nothingAllowed = { allowHosts: [] };
const blocked = (url: string, allowHosts: string[] = []) =>
  expect(egressFetch(url, { timeoutMs: 3000 }, { allowHosts })).rejects.toBeInstanceOf(EgressBlocked);

describe('the egress guard', () => {
  it.each([
    ['loopback', 'http://127.0.0.1/'],
    ['loopback, another address of it', 'http://127.1.2.3:8080/'],
    ['a private address', 'http://10.0.0.1/'],
    ['a private address', 'http://192.168.1.1/'],
    ['a private address', 'https://172.16.5.4/'],
    ['cloud metadata (link-local)', 'http://169.254.169.254/latest/meta-data/'],
    ['a name resolving to loopback', 'http://localhost/'],
    ['a name resolving to loopback, with a port', `http://localhost:${0}/`],
    ['IPv6 loopback', 'http://[::1]/'],
    ['IPv4 loopback wrapped in IPv6', 'http://[::ffff:127.0.0.1]/'],
    ['loopback spelt as a number', 'http://2130706433/'],
    ['loopback spelt in hex', 'http://0x7f.0.0.1/'],
    ['the unspecified address', 'http://0.0.0.0/'],
    ['carrier-grade NAT', 'http://100.64.0.1/'],
  ])('refuses %s (%s) before connecting', async (_, url) => {
    await blocked(url);
  });

  it('refuses schemes other than http and https, and credentials in URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://example.com/', 'gopher://example.com/', 'http://user:pw@example.com/'])
      await blocked(url);
  });

  it('refuses a redirect to loopback from a local server, without following it', async () => {
    hits.length = 0;
    // The local server itself is allowed by name; where it redirects to is not.
    await blocked(`http://localhost:${port}/to-loopback`, [`localhost:${port}`]);
    await blocked(`http://localhost:${port}/to-metadata`, [`localhost:${port}`]);
    expect(hits).toEqual(['/to-loopback', '/to-metadata']);
  });

  it('lets an allow-listed host through, and follows its redirects (each one checked)', async () => {
    const res = await egressFetch(`http://localhost:${port}/hop`, {}, { allowHosts: [`localhost:${port}`] });
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('hello from /hello');
    expect(res.url).toBe(`http://localhost:${port}/hello`);
    await blocked(`http://localhost:${port}/hello`, ['localhost:1']);
    await expect(egressFetch(`http://localhost:${port}/loop`, { maxRedirects: 3 }, { allowHosts: [`localhost:${port}`] })).rejects.toThrow(
      /redirects/,
    );
  });

  it('gives libraries a fetch() that goes through the guard', async () => {
    const fetchGuarded = guardedFetch(nothingAllowed);
    await expect(fetchGuarded(`http://127.0.0.1:${port}/`)).rejects.toBeInstanceOf(EgressBlocked);
    const allowed = guardedFetch({ allowHosts: [`127.0.0.1:${port}`] });
    const res = await allowed(`http://127.0.0.1:${port}/x`, { method: 'POST', body: new URLSearchParams({ a: '1' }) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello from /x');
  });
});

describe('addresses and allow-lists', () => {
  it('tells blocked addresses from public ones', () => {
    for (const a of [
      '127.0.0.1',
      '10.1.2.3',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '0.0.0.0',
      '100.64.1.1',
      '224.0.0.1',
      '255.255.255.255',
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of [
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:10.0.0.1',
      '::ffff:7f00:1',
      '64:ff9b::a9fe:a9fe',
      '2002:7f00:1::1',
    ]) {
      expect(isBlockedAddress(a), a).toBe(true);
    }
    for (const a of ['93.184.216.34', '8.8.8.8', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450:4001::200e', '::ffff:8.8.8.8']) {
      expect(isBlockedAddress(a), a).toBe(false);
    }
    expect(isBlockedAddress('not-an-address')).toBe(true);
  });

  it('matches hosts, host:port and *.domain entries', () => {
    const url = (u: string) => new URL(u);
    expect(allowListed(url('https://hooks.example.com/x'), ['hooks.example.com'])).toBe(true);
    expect(allowListed(url('https://hooks.example.com:8443/x'), ['hooks.example.com'])).toBe(true);
    expect(allowListed(url('https://hooks.example.com:8443/x'), ['hooks.example.com:443'])).toBe(false);
    expect(allowListed(url('https://hooks.example.com/x'), ['hooks.example.com:443'])).toBe(true);
    expect(allowListed(url('http://a.b.example.com/'), ['*.example.com'])).toBe(true);
    expect(allowListed(url('http://example.com/'), ['*.example.com'])).toBe(false);
    expect(allowListed(url('http://badexample.com/'), ['*.example.com'])).toBe(false);
    expect(allowListed(url('http://[::1]:8080/'), ['[::1]:8080'])).toBe(true);
    expect(allowListed(url('http://HOOKS.Example.com/'), ['hooks.example.com'])).toBe(true);
  });
});
