/** @module realms/create-realm — creates realms (with their ES256 and RS256 keys), users and clients. */
import { DEFAULT_REALM_SETTINGS, fail, REALM_ID_PATTERN, type Client, type GrantType, type Realm, type RealmSettings, type User } from '@steward/core';
import { webhookFrom, type WebhookInput } from '@steward/core';
import { generateSigningKey } from '../crypto/keys.ts';
import type { Deps } from '../deps.ts';

export async function createRealm(
  deps: Deps,
  input: { id: string; displayName?: string; settings?: Partial<RealmSettings>; webhooks?: WebhookInput[] },
): Promise<Realm> {
  if (!REALM_ID_PATTERN.test(input.id)) throw fail('invalid_request', 'Realm id must be 1–64 lower-case letters, digits, - or _');
  const now = deps.clock.now();
  const realm: Realm = {
    id: input.id,
    displayName: input.displayName ?? input.id,
    settings: { ...DEFAULT_REALM_SETTINGS, ...input.settings },
    createdAt: now,
  };
  const es = await generateSigningKey(realm.id, 'ES256', deps.random, now);
  const rs = await generateSigningKey(realm.id, 'RS256', deps.random, now);
  const webhooks = (input.webhooks ?? []).map((w) => webhookFrom(deps, realm.id, w, now));
  await deps.store.transaction(async (tx) => {
    await tx.realms.create(realm);
    await tx.keys.insert(es);
    await tx.keys.insert(rs);
    for (const webhook of webhooks) await tx.webhooks.create(webhook);
    await tx.clients.create(accountConsoleClient(deps.config.baseUrl, realm.id, now));
  });
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

export async function addUser(
  deps: Deps,
  realm: string,
  input: { username: string; password: string; email?: string | null; admin?: boolean },
): Promise<User> {
  const user: User = {
    realm,
    id: deps.random.uuid(),
    username: input.username,
    email: input.email ?? null,
    passwordHash: await deps.passwords.hash(input.password),
    admin: input.admin ?? false,
    disabled: false,
    createdAt: deps.clock.now(),
  };
  await deps.store.users.create(user);
  return user;
}

export interface ClientInput {
  clientId: string;
  /** Omit for a public client. */
  secret?: string;
  name?: string;
  grantTypes: GrantType[];
  redirectUris?: string[];
  claimsRedirectUris?: string[];
  umaScopes?: string[];
  signingAlg?: Client['signingAlg'];
  rptRefreshTokens?: boolean;
}

export async function addClient(deps: Deps, realm: string, input: ClientInput): Promise<Client> {
  const client: Client = {
    realm,
    clientId: input.clientId,
    secretHash: input.secret === undefined ? null : deps.digest.sha256(input.secret),
    name: input.name ?? input.clientId,
    grantTypes: input.grantTypes,
    redirectUris: input.redirectUris ?? [],
    claimsRedirectUris: input.claimsRedirectUris ?? [],
    umaScopes: input.umaScopes ?? [],
    signingAlg: input.signingAlg ?? null,
    rptRefreshTokens: input.rptRefreshTokens ?? true,
    disabled: false,
    createdAt: deps.clock.now(),
  };
  await deps.store.clients.create(client);
  return client;
}
