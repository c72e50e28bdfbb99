/**
 * @module services/password-grant
 * The resource owner password credentials grant (RFC 6749 §4.3), for clients an administrator allowed
 * it: a user's access token, a refresh token, and an ID token with `openid`.
 */
import type { Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import { requirePassword } from './authenticate-user.ts';
import type { Ports } from './ports.ts';
import { USER_GRANT_DEFAULT_SCOPE, requestedTokenScope } from './token-scope.ts';
import { prepareUserTokens, recordTokens, type GrantedTokens } from './user-tokens.ts';

/** Tokens for the user whose credentials these are; `invalid_grant` when they match no enabled user. */
export async function issuePasswordTokens(
  ports: Ports,
  input: { realm: Realm; client: Client; username: string; password: string; scope: string | undefined; /** The client's address, by which failed passwords are counted (services/login-lockout). */ address: string },
): Promise<GrantedTokens> {
  const { realm, client } = input;
  const scope = requestedTokenScope(input.scope, USER_GRANT_DEFAULT_SCOPE);
  const user = await requirePassword(ports, realm.id, input.username, input.password, input.address);
  // A refresh token the client may not redeem would only be a liability.
  const refreshData = client.grantTypes.includes('refresh_token') ? { scope } : null;
  const prepared = await prepareUserTokens(ports, { realm, client, user, scope, grantId: ports.random.uuid(), refreshData });
  await recordTokens(ports, prepared.records);
  return prepared.tokens;
}
