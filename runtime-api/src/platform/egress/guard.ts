// Outbound HTTP for connectors and identity providers, guarded against server-side request
// forgery. Before each request, and again for every redirect, the host name is resolved and every
// address it resolves to is checked (egress/addresses.ts); the connection then goes to the address
// that was checked, so a DNS answer cannot change between check and connect (rebinding). A tenant's
// allow-list (`settings.egressAllowHosts`: host, host:port or *.domain) lets a named host through
// even on a private address. Only http: and https: are allowed.
import { lookup } from 'node:dns/promises';
import http from 'node:http';
import https from 'node:https';
import { isIP } from 'node:net';
import { isBlockedAddress } from './addresses.ts';

export interface EgressPolicy {
  /** Hosts that may be reached even on loopback, private or link-local addresses. */
  allowHosts: readonly string[];
}

export interface EgressRequest {
  method?: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** Whole request, redirects included. Default 30 s. */
  timeoutMs?: number;
  /** Largest response body accepted. Default 10 MB. */
  maxBytes?: number;
  /** Redirects followed (each checked like the first request). Default 5; 0: return the 3xx. */
  maxRedirects?: number;
  signal?: AbortSignal;
}

export interface EgressResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Where the final response came from, after redirects. */
  url: string;
}

export class EgressBlocked extends Error {
  readonly code = 'EGRESS_BLOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'EgressBlocked';
  }
}

const DEFAULT_PORT: Record<string, number> = { 'http:': 80, 'https:': 443 };

/** The URL's host as the allow-list spells it: lower case, IPv6 without brackets. */
const hostOf = (url: URL) => url.hostname.toLowerCase().replace(/^\[|\]$/g, '');

/** Whether the allow-list names this URL's host (and port, when the entry gives one). */
export function allowListed(url: URL, allowHosts: readonly string[]): boolean {
  const host = hostOf(url);
  const port = Number(url.port || DEFAULT_PORT[url.protocol]);
  return allowHosts.some((entry) => {
    const m = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry.trim().toLowerCase());
    if (!m) return false;
    const name = (m[1] as string).replace(/^\[|\]$/g, '');
    if (m[2] !== undefined && Number(m[2]) !== port) return false;
    if (name.startsWith('*.')) return host.endsWith(name.slice(1)) && host.length > name.length - 1;
    return host === name;
  });
}

/**
 * Resolves the URL's host and checks every address. Returns the address to connect to; throws
 * EgressBlocked if the scheme is not http(s) or an address is off limits (and the host not allowed).
 */
export async function checkDestination(url: URL, policy: EgressPolicy): Promise<{ address: string; family: 4 | 6 }> {
  if (!(url.protocol in DEFAULT_PORT)) throw new EgressBlocked(`${url.protocol} URLs are not allowed; use http: or https:`);
  if (url.username || url.password) throw new EgressBlocked('URLs with credentials in them are not allowed');
  const host = hostOf(url);
  const literal = isIP(host);
  const addresses = literal ? [{ address: host, family: literal }] : await resolveAll(host);
  if (addresses.length === 0) throw new EgressBlocked(`"${host}" does not resolve`);
  if (!allowListed(url, policy.allowHosts)) {
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) {
      throw new EgressBlocked(
        `${host === bad.address ? host : `"${host}" resolves to ${bad.address}, which`} is a loopback, private or link-local address; add the host to the tenant's egress allow-list to reach it`,
      );
    }
  }
  const chosen = addresses[0] as { address: string; family: number };
  return { address: chosen.address, family: chosen.family === 6 ? 6 : 4 };
}

async function resolveAll(host: string): Promise<Array<{ address: string; family: number }>> {
  try {
    return await lookup(host, { all: true, verbatim: true });
  } catch (e) {
    throw new EgressBlocked(`"${host}" does not resolve: ${(e as Error).message}`);
  }
}

/** One request, redirects followed (each re-checked). */
export async function egressFetch(target: string | URL, request: EgressRequest, policy: EgressPolicy): Promise<EgressResponse> {
  const deadline = AbortSignal.timeout(request.timeoutMs ?? 30_000);
  const signal = request.signal ? AbortSignal.any([request.signal, deadline]) : deadline;
  let url = new URL(target);
  let method = (request.method ?? 'GET').toUpperCase();
  let body = request.body;
  let headers = { ...(request.headers ?? {}) };
  const maxRedirects = request.maxRedirects ?? 5;
  for (let hop = 0; ; hop++) {
    const destination = await checkDestination(url, policy);
    const response = await once(url, destination, method, headers, body, request.maxBytes ?? 10 * 1024 * 1024, signal);
    const location = response.headers.location;
    if (response.status < 300 || response.status >= 400 || typeof location !== 'string' || maxRedirects === 0) return response;
    if (hop >= maxRedirects) throw new EgressBlocked(`more than ${maxRedirects} redirects`);
    const next = new URL(location, url);
    // Credentials stay with the origin they were meant for.
    if (next.origin !== url.origin) {
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['authorization', 'cookie'].includes(k.toLowerCase())));
    }
    if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === 'POST')) {
      method = 'GET';
      body = undefined;
      headers = Object.fromEntries(Object.entries(headers).filter(([k]) => !['content-type', 'content-length'].includes(k.toLowerCase())));
    }
    url = next;
  }
}

function once(
  url: URL,
  destination: { address: string; family: 4 | 6 },
  method: string,
  headers: Record<string, string>,
  body: string | Buffer | undefined,
  maxBytes: number,
  signal: AbortSignal,
): Promise<EgressResponse> {
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port || DEFAULT_PORT[url.protocol],
        path: `${url.pathname}${url.search}`,
        method,
        headers: { ...headers, host: url.host },
        signal,
        // Connect to the address that was checked, never to a fresh DNS answer.
        lookup: (_host, options, callback) => {
          const all = (options as { all?: boolean }).all;
          if (all) (callback as (e: null, a: Array<{ address: string; family: number }>) => void)(null, [destination]);
          else (callback as (e: null, a: string, f: number) => void)(null, destination.address, destination.family);
        },
        ...(url.protocol === 'https:' && !isIP(hostOf(url)) ? { servername: hostOf(url) } : {}),
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            req.destroy(new EgressBlocked(`the response is larger than ${maxBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks), url: url.toString() }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** A fetch() for libraries that take one (openid-client's customFetch), going through the guard. */
export function guardedFetch(policy: EgressPolicy) {
  return async (
    input: string | URL,
    init: { method?: string; headers?: Record<string, string>; body?: unknown; signal?: AbortSignal | null } = {},
  ): Promise<Response> => {
    const body =
      init.body === undefined || init.body === null
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : init.body instanceof URLSearchParams
            ? init.body.toString()
            : init.body instanceof Uint8Array || init.body instanceof ArrayBuffer
              ? Buffer.from(init.body as Uint8Array)
              : String(init.body);
    const res = await egressFetch(
      input,
      { method: init.method ?? 'GET', headers: init.headers ?? {}, body, maxRedirects: 0, ...(init.signal ? { signal: init.signal } : {}) },
      policy,
    );
    const headers = new Headers();
    for (const [k, v] of Object.entries(res.headers)) {
      if (Array.isArray(v)) for (const item of v) headers.append(k, item);
      else if (v !== undefined) headers.set(k, v);
    }
    const empty = [101, 204, 205, 304].includes(res.status);
    return new Response(empty ? null : new Uint8Array(res.body), { status: res.status, headers });
  };
}
