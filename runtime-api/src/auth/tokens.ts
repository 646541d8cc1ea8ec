// Session tokens: base64url(JSON claims) "." base64url(HMAC-SHA256), with an expiry. Roles and
// groups travel in the token, so a request needs no database read to be authorised; changes to
// a user's roles apply from the next login.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface Principal {
  userId: string;
  tenantId: string;
  username: string;
  roles: string[];
  groups: string[];
}

interface Claims {
  sub: string;
  tid: string;
  usr: string;
  rol: string[];
  grp: string[];
  exp: number;
}

export class TokenSigner {
  constructor(
    private readonly secret: string,
    private readonly ttlSeconds: number,
  ) {}

  sign(principal: Principal, nowMs: number): string {
    const claims: Claims = {
      sub: principal.userId,
      tid: principal.tenantId,
      usr: principal.username,
      rol: principal.roles,
      grp: principal.groups,
      exp: Math.floor(nowMs / 1000) + this.ttlSeconds,
    };
    const body = Buffer.from(JSON.stringify(claims)).toString('base64url');
    return `${body}.${this.mac(body)}`;
  }

  /** The principal of a valid, unexpired token; undefined otherwise. */
  verify(token: string, nowMs: number): Principal | undefined {
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
    return { userId: claims.sub, tenantId: claims.tid, username: claims.usr, roles: claims.rol ?? [], groups: claims.grp ?? [] };
  }

  private mac(body: string): string {
    return createHmac('sha256', this.secret).update(body).digest('base64url');
  }
}
