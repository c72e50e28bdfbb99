/**
 * @module services/client-credentials
 * The client_credentials grant (RFC 6749 §4.4): a confidential client obtains a token for itself,
 * typically a PAT for the resources it owns. No refresh token (§4.4.3).
 */
import { fail } from '../errors.ts';
import { isPublicClient, type Client } from '../model/client.ts';
import type { Realm } from '../model/realm.ts';
import { issueAccessToken } from './issue-tokens.ts';
import { clientCredentialsSubject } from './organizations.ts';
import type { Ports } from './ports.ts';
import { CLIENT_CREDENTIALS_DEFAULT_SCOPE, requestedTokenScope } from './token-scope.ts';
import { hasScope } from './verify-token.ts';
import type { GrantedTokens } from './user-tokens.ts';

/** An access token whose subject is the client itself, or `org:{id}` when the client acts for an organization. */
export async function issueClientCredentialsToken(ports: Ports, input: { realm: Realm; client: Client; scope: string | undefined }): Promise<GrantedTokens> {
  if (isPublicClient(input.client)) throw fail('unauthorized_client', 'A public client cannot use the client_credentials grant');
  // Always a PAT, whatever else was asked (`openid` from Keycloak's clients): Keycloak's PAT is a plain
  // client_credentials token, and clients written for it never ask for uma_protection.
  const asked = requestedTokenScope(input.scope, CLIENT_CREDENTIALS_DEFAULT_SCOPE);
  const scope = hasScope(asked, CLIENT_CREDENTIALS_DEFAULT_SCOPE) ? asked : `${asked} ${CLIENT_CREDENTIALS_DEFAULT_SCOPE}`;
  const access = await issueAccessToken(ports, { realm: input.realm, client: input.client, subject: await clientCredentialsSubject(ports, input.client), scope, grantId: ports.random.uuid() });
  return { accessToken: access.token, expiresIn: access.expiresIn, scope };
}
