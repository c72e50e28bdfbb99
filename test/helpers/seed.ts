/**
 * @module test/helpers/seed
 * Users and clients written straight to the store, without the checks of the core's `createUser` and
 * `createClient`: a client with a secret the test chooses (any length), a public client allowed
 * `client_credentials`, states an administrator could not make. Production code uses the core's
 * services; tests that need an ordinary user or client may too.
 */
import type { Client, GrantType, Ports, User } from '@steward/core';

export { createRealm } from '@steward/server';

export async function addUser(ports: Ports, realm: string, input: { username: string; password: string; email?: string | null; admin?: boolean }): Promise<User> {
  const user: User = {
    realm,
    id: ports.random.uuid(),
    username: input.username,
    email: input.email ?? null,
    passwordHash: await ports.passwords.hash(input.password),
    admin: input.admin ?? false,
    disabled: false,
    createdAt: ports.clock.now(),
  };
  await ports.store.users.create(user);
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

export async function addClient(ports: Ports, realm: string, input: ClientInput): Promise<Client> {
  const client: Client = {
    realm,
    clientId: input.clientId,
    secretHash: input.secret === undefined ? null : ports.digest.sha256(input.secret),
    name: input.name ?? input.clientId,
    grantTypes: input.grantTypes,
    redirectUris: input.redirectUris ?? [],
    claimsRedirectUris: input.claimsRedirectUris ?? [],
    umaScopes: input.umaScopes ?? [],
    signingAlg: input.signingAlg ?? null,
    rptRefreshTokens: input.rptRefreshTokens ?? true,
    disabled: false,
    createdAt: ports.clock.now(),
  };
  await ports.store.clients.create(client);
  return client;
}
