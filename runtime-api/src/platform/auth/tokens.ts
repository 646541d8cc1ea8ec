// Access tokens: base64url(JSON claims) "." base64url(HMAC-SHA256), short-lived (15 minutes by
// default). Roles and groups travel in the token; changes to them apply from the next refresh.
// Each names its session (`sid`): the auth plugin checks on every request that the session is not
// revoked and the tenant not suspended, so logout and suspension take effect at once.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Principal {
  userId: string;
  tenantId: string;
  username: string;
  roles: string[];
  groups: string[];
  /** The session (sign-in) the token belongs to. */
  sessionId: string;
}

interface Claims {
  sub: string;
  tid: string;
  usr: string;
  rol: string[];
  grp: string[];
  sid: string;
  exp: number;
}

/** Tokens verified lately, kept so that a client's next requests skip the HMAC and the parsing. */
const REMEMBERED = 10_000;

export class TokenSigner {
  private readonly verified = new Map<string, { principal: Principal; expiresMs: number }>();

  constructor(
    private readonly secret: string,
    readonly ttlSeconds: number,
  ) {}

  sign(principal: Principal, nowMs: number): string {
    const claims: Claims = {
      sub: principal.userId,
      tid: principal.tenantId,
      usr: principal.username,
      rol: principal.roles,
      grp: principal.groups,
      sid: principal.sessionId,
      exp: Math.floor(nowMs / 1000) + this.ttlSeconds,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The principal of a valid, unexpired token; undefined otherwise. */
  verify(token: string, nowMs: number): Principal | undefined {
    const known = this.verified.get(token);
    if (known) return known.expiresMs > nowMs ? known.principal : undefined;
    const checked = this.check(token, nowMs);
    if (checked) {
      if (this.verified.size >= REMEMBERED) this.verified.clear();
      this.verified.set(token, checked);
    }
    return checked?.principal;
  }

  /** Verifies a token the hard way: its MAC, its claims, its expiry. */
  private check(token: string, nowMs: number): { principal: Principal; expiresMs: number } | undefined {
    const [body, mac] = token.split('.');
    if (!body || !mac || token.split('.').length !== 2) return undefined;
    const expected = Buffer.from(this.mac(body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    let claims: Claims;
    try {
      claims = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Claims;
    } catch {
      return undefined;
    }
    if (typeof claims.exp !== 'number' || claims.exp * 1000 <= nowMs) return undefined;
    if (typeof claims.sid !== 'string' || typeof claims.tid !== 'string' || typeof claims.sub !== 'string') return undefined;
    // Frozen: the same principal serves every request that carries the token.
    const principal: Principal = Object.freeze({
      userId: claims.sub,
      tenantId: claims.tid,
      username: claims.usr,
      roles: Object.freeze(Array.isArray(claims.rol) ? claims.rol : []) as string[],
      groups: Object.freeze(Array.isArray(claims.grp) ? claims.grp : []) as string[],
      sessionId: claims.sid,
    });
    return { principal, expiresMs: claims.exp * 1000 };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
