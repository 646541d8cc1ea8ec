// Sign-in: a tenant, a username and a password give a signed session token.

import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import type { Principal, TokenSigner } from '../auth/tokens.ts';
import type { Queryable } from '../db/connect.ts';
import type { UserRow } from '../db/rows.ts';
import { ApiError } from '../errors.ts';
import type { Clock } from './clock.ts';

export interface LoginResult {
  token: string;
  user: { id: string; username: string; roles: string[]; groups: string[] };
}

export class IdentityService {
  // Compared against when the user does not exist, so both cases take the same time.
  private readonly decoy = hashPassword('decoy');

  constructor(
    private readonly db: Queryable,
    private readonly signer: TokenSigner,
    private readonly clock: Clock,
  ) {}

  async login(tenantId: string, username: string, password: string): Promise<LoginResult> {
    const user: UserRow | undefined = await this.db('users').where({ tenant_id: tenantId, username }).first();
    const ok = await verifyPassword(password, user?.password_hash ?? (await this.decoy));
    if (!user || !ok) throw new ApiError(401, 'INVALID_CREDENTIALS', 'the tenant, username or password is wrong');
    const groups: Array<{ group_id: string }> = await this.db('user_groups')
      .select('group_id')
      .where({ tenant_id: tenantId, user_id: user.id })
      .orderBy('group_id');
    const principal: Principal = {
      userId: user.id,
      tenantId,
      username: user.username,
      roles: user.roles ?? [],
      groups: groups.map((g) => g.group_id),
    };
    return {
      token: this.signer.sign(principal, this.clock.now()),
      user: { id: user.id, username: user.username, roles: principal.roles, groups: principal.groups },
    };
  }
}
