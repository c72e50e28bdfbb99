/** @module realms/create-realm — creates realms (services/create-realm) with the server's built-in account console client. */
import { createRealm as createRealmWithClients, type Client, type NewRealm, type Realm } from '@steward/core';
import type { Deps } from '../deps.ts';

/** Creates the realm (its ES256 and RS256 keys, its webhooks) with the account console's client. */
export async function createRealm(deps: Deps, input: NewRealm): Promise<Realm> {
  const realm = await createRealmWithClients(deps, input, [accountConsoleClient(deps.config.baseUrl, input.id, deps.clock.now())]);
  deps.keys.invalidate(realm.id);
  return realm;
}

/** Client id of the account console, registered in every realm. */
export const ACCOUNT_CONSOLE_CLIENT_ID = 'account-console';

/**
 * The account console's client: public (a browser app keeps no secret), authorization code with PKCE
 * only, its one redirect URI the console's own page, which asks for `openid sharing`.
 */
export function accountConsoleClient(baseUrl: string, realm: string, now: number): Client {
  return {
    realm,
    clientId: ACCOUNT_CONSOLE_CLIENT_ID,
    secretHash: null,
    name: 'Account console',
    grantTypes: ['authorization_code', 'refresh_token'],
    redirectUris: [`${baseUrl}/realms/${realm}/account/`],
    claimsRedirectUris: [],
    umaScopes: [],
    signingAlg: null,
    rptRefreshTokens: false,
    disabled: false,
    createdAt: now,
  };
}
