/** @module services/userinfo — the OpenID Connect UserInfo answer (OIDC Core §5.3) for an active access token. */
import { fail } from '../errors.ts';
import type { TokenRecord } from '../model/token.ts';
import type { Ports } from './ports.ts';
import { hasScope } from './verify-token.ts';

export interface UserinfoClaims {
  sub: string;
  preferred_username: string;
  email?: string;
}

/**
 * Claims about the user a token was issued for. `insufficient_scope` without `openid`; `invalid_token`
 * when the subject is not an active user (a client's own token, a deleted or disabled user).
 * `email` only with the `email` scope.
 */
export async function userinfoClaims(ports: Ports, input: { realm: string; token: TokenRecord }): Promise<UserinfoClaims> {
  const { token } = input;
  if (!hasScope(token.data.scope, 'openid')) throw fail('insufficient_scope', 'The access token lacks the openid scope');
  const user = token.subject === token.clientId ? null : await ports.store.users.get(input.realm, token.subject);
  if (!user || user.disabled) throw fail('invalid_token', 'The access token does not stand for an active user');
  const claims: UserinfoClaims = { sub: user.id, preferred_username: user.username };
  if (user.email && hasScope(token.data.scope, 'email')) claims.email = user.email;
  return claims;
}
