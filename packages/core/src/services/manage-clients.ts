/**
 * @module services/manage-clients
 * Realm administration of OAuth clients (admin API and CLI): add, list, get, disable/enable, delete.
 * A confidential client's secret is generated here (256 bits), returned once, and stored only as its
 * SHA-256. Disabling takes effect at once: the client can no longer authenticate and every token
 * issued to it is revoked. Deleting is refused while resources registered by it exist or a policy
 * names it.
 */
import { fail, shown } from '../errors.ts';
import { UMA_GRANT_TYPE, type Client, type GrantType } from '../model/client.ts';
import { CLIENT_SUBJECT_PREFIX } from '../model/policy.ts';
import type { SigningAlg } from '../model/realm.ts';
import type { Ports } from './ports.ts';

export const GRANT_TYPES: readonly GrantType[] = ['authorization_code', 'client_credentials', 'refresh_token', 'password', UMA_GRANT_TYPE];

/** A client as administrators see it: whether it has a secret, never the secret or its hash. */
export interface ClientView {
  clientId: string;
  name: string;
  confidential: boolean;
  grantTypes: GrantType[];
  redirectUris: string[];
  claimsRedirectUris: string[];
  umaScopes: string[];
  signingAlg: SigningAlg | null;
  rptRefreshTokens: boolean;
  disabled: boolean;
  createdAt: number;
}

export interface NewClient {
  clientId: string;
  name?: string;
  /** A public client has no secret (browser and native apps); default false. */
  public?: boolean;
  grantTypes: string[];
  redirectUris?: string[];
  claimsRedirectUris?: string[];
  umaScopes?: string[];
  signingAlg?: string | null;
  rptRefreshTokens?: boolean;
}

const CLIENT_ID = /^[A-Za-z0-9._~:@-]{1,255}$/;

export function clientView(c: Client): ClientView {
  return {
    clientId: c.clientId,
    name: c.name,
    confidential: c.secretHash !== null,
    grantTypes: c.grantTypes,
    redirectUris: c.redirectUris,
    claimsRedirectUris: c.claimsRedirectUris,
    umaScopes: c.umaScopes,
    signingAlg: c.signingAlg,
    rptRefreshTokens: c.rptRefreshTokens,
    disabled: c.disabled,
    createdAt: c.createdAt,
  };
}

function stringList(value: unknown, field: string, check: (s: string) => boolean, what: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || value.length > 100) throw fail('invalid_request', `${field} must be a list of at most 100 ${what}`);
  for (const item of value) {
    if (typeof item !== 'string' || item.length > 2048 || !check(item)) throw fail('invalid_request', `${field}: '${shown(item, 100)}' is not ${what}`);
  }
  return [...new Set(value as string[])];
}

/** An absolute http(s) URI without fragment: redirect URIs are matched exactly, so they must be exact. */
function isRedirectUri(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.hash === '' && !s.includes('#') && u.username === '' && u.password === '';
  } catch {
    return false;
  }
}

/** Checks a new client's fields; `invalid_request` naming the field. */
export function checkNewClient(input: NewClient): Omit<Client, 'realm' | 'secretHash' | 'createdAt' | 'disabled'> {
  if (typeof input.clientId !== 'string' || !CLIENT_ID.test(input.clientId)) {
    throw fail('invalid_request', 'clientId must be 1–255 letters, digits or . _ ~ : @ -');
  }
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length === 0 || input.name.length > 255)) throw fail('invalid_request', 'name must be 1–255 characters');
  if (input.public !== undefined && typeof input.public !== 'boolean') throw fail('invalid_request', 'public must be a boolean');
  const grantTypes = stringList(input.grantTypes, 'grantTypes', (g) => (GRANT_TYPES as readonly string[]).includes(g), `one of ${GRANT_TYPES.join(', ')}`) as GrantType[];
  if (grantTypes.length === 0) throw fail('invalid_request', `grantTypes must name at least one of ${GRANT_TYPES.join(', ')}`);
  if (input.public && grantTypes.includes('client_credentials')) throw fail('invalid_request', 'a public client cannot use client_credentials');
  const redirectUris = stringList(input.redirectUris, 'redirectUris', isRedirectUri, 'an absolute http(s) URI without fragment');
  if (grantTypes.includes('authorization_code') && redirectUris.length === 0) throw fail('invalid_request', 'redirectUris is required with authorization_code');
  const claimsRedirectUris = stringList(input.claimsRedirectUris, 'claimsRedirectUris', isRedirectUri, 'an absolute http(s) URI without fragment');
  const umaScopes = stringList(input.umaScopes, 'umaScopes', (s) => s.length > 0 && s.length <= 256 && !/\s/.test(s), 'a scope');
  const signingAlg = input.signingAlg ?? null;
  if (signingAlg !== null && signingAlg !== 'ES256' && signingAlg !== 'RS256') throw fail('invalid_request', 'signingAlg must be ES256 or RS256');
  if (input.rptRefreshTokens !== undefined && typeof input.rptRefreshTokens !== 'boolean') throw fail('invalid_request', 'rptRefreshTokens must be a boolean');
  return {
    clientId: input.clientId,
    name: input.name ?? input.clientId,
    grantTypes,
    redirectUris,
    claimsRedirectUris,
    umaScopes,
    signingAlg,
    rptRefreshTokens: input.rptRefreshTokens ?? true,
  };
}

/**
 * Adds a client. A confidential client gets a generated secret, returned here once and stored only as
 * its SHA-256. `conflict` when the client id exists.
 */
export async function createClient(ports: Ports, realm: string, input: NewClient): Promise<{ client: ClientView; secret: string | null }> {
  const fields = checkNewClient(input);
  const secret = input.public ? null : ports.random.token();
  const client: Client = { realm, ...fields, secretHash: secret === null ? null : ports.digest.sha256(secret), disabled: false, createdAt: ports.clock.now() };
  await ports.store.clients.create(client);
  return { client: clientView(client), secret };
}

export async function listClients(ports: Ports, realm: string): Promise<ClientView[]> {
  return (await ports.store.clients.list(realm)).map(clientView);
}

export async function getClient(ports: Ports, realm: string, clientId: string): Promise<ClientView> {
  const client = clientId.length <= 255 ? await ports.store.clients.get(realm, clientId) : null;
  if (!client) throw fail('not_found', `Client ${clientId.slice(0, 64)} not found`);
  return clientView(client);
}

/** Disables (or enables) the client; disabling revokes every token issued to it, in one transaction. */
export async function setClientDisabled(ports: Ports, realm: string, clientId: string, disabled: boolean): Promise<ClientView> {
  return ports.store.transaction(async (tx) => {
    const client = clientId.length <= 255 ? await tx.clients.get(realm, clientId) : null;
    if (!client) throw fail('not_found', `Client ${clientId.slice(0, 64)} not found`);
    const next = { ...client, disabled };
    await tx.clients.update(next);
    if (disabled) await tx.tokens.revokeAllFor(realm, { clientId });
    return clientView(next);
  });
}

/**
 * Deletes a client, revokes its tokens and unlinks it from its organization; `conflict` while
 * resources it registered exist or a policy names it as `client:{clientId}` (a new client given the
 * same id would otherwise manage them, or hold the share).
 */
export async function deleteClient(ports: Ports, realm: string, clientId: string): Promise<void> {
  await ports.store.transaction(async (tx) => {
    const client = clientId.length <= 255 ? await tx.clients.get(realm, clientId) : null;
    if (!client) throw fail('not_found', `Client ${clientId.slice(0, 64)} not found`);
    if (await tx.resources.existsForResourceServer(realm, clientId)) throw fail('conflict', `Resources registered by ${clientId} exist: delete them first, or disable the client`);
    const subject = `${CLIENT_SUBJECT_PREFIX}${clientId}`;
    if (await tx.policies.isSubjectNamed(realm, subject)) throw fail('conflict', `Policies share resources with ${subject}: remove them first, or disable the client`);
    await tx.tokens.revokeAllFor(realm, { clientId });
    // Unlinked from its organization: a new client given the same id must not act for it.
    const org = await tx.organizations.ofClient(realm, clientId);
    if (org) await tx.organizations.removeClient(realm, org.id, clientId);
    await tx.clients.delete(realm, clientId);
  });
}
