/**
 * @module services/manage-clients
 * Realm administration of OAuth clients (admin API and CLI): add, list, get, update, rotate the secret,
 * disable/enable, delete. A confidential client's secret is generated here (256 bits), returned once,
 * and stored only as its SHA-256. An update is checked exactly like a new client. A rotation keeps the
 * replaced secret valid for a grace period (default a day) so the client's deployments can move to the
 * new one. Disabling takes effect at once: the client can no longer authenticate and every token
 * issued to it is revoked. Deleting is refused while resources registered by it exist or a policy
 * names it.
 */
import { fail, shown } from '../errors.ts';
import { isPublicClient, UMA_GRANT_TYPE, type Client, type GrantType } from '../model/client.ts';
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
    confidential: !isPublicClient(c),
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

/** The shortest and longest secret a caller may choose for a client (`createClient`'s `secret` option). */
const MIN_CHOSEN_SECRET = 16;
const MAX_CHOSEN_SECRET = 255;

/**
 * Adds a client. A confidential client gets a generated secret, returned here once and stored only as
 * its SHA-256, unless the code calling chooses it (`options.secret`: the demo realm's published
 * secrets; never from a request). `conflict` when the client id exists.
 */
export async function createClient(ports: Ports, realm: string, input: NewClient, options: { secret?: string } = {}): Promise<{ client: ClientView; secret: string | null }> {
  const fields = checkNewClient(input);
  const chosen = options.secret;
  if (chosen !== undefined && (input.public || chosen.length < MIN_CHOSEN_SECRET || chosen.length > MAX_CHOSEN_SECRET)) {
    throw fail('invalid_request', `a chosen client secret must be ${MIN_CHOSEN_SECRET}–${MAX_CHOSEN_SECRET} characters, for a confidential client`);
  }
  const secret = input.public ? null : (chosen ?? ports.random.token());
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

/** What `updateClient` may change: every field a new client sets except its id and whether it is public. */
export type ClientChanges = Partial<Omit<NewClient, 'clientId' | 'public'>>;

export const CLIENT_CHANGE_FIELDS = ['name', 'grantTypes', 'redirectUris', 'claimsRedirectUris', 'umaScopes', 'signingAlg', 'rptRefreshTokens'] as const satisfies ReadonlyArray<keyof ClientChanges>;

/**
 * Changes some of the client's fields (a list given replaces the whole list; `signingAlg: null` goes
 * back to the realm's algorithm). The result is checked exactly like a new client, so the client stays
 * valid as a whole (`invalid_request` naming the field). Tokens already issued are not touched.
 */
export async function updateClient(ports: Ports, realm: string, clientId: string, changes: ClientChanges): Promise<ClientView> {
  return ports.store.transaction(async (tx) => {
    const client = await clientIn(tx, realm, clientId);
    const given = Object.fromEntries(CLIENT_CHANGE_FIELDS.filter((k) => changes[k] !== undefined).map((k) => [k, changes[k]]));
    const fields = checkNewClient({
      clientId: client.clientId,
      name: client.name,
      public: isPublicClient(client),
      grantTypes: client.grantTypes,
      redirectUris: client.redirectUris,
      claimsRedirectUris: client.claimsRedirectUris,
      umaScopes: client.umaScopes,
      signingAlg: client.signingAlg,
      rptRefreshTokens: client.rptRefreshTokens,
      ...given,
    });
    const next: Client = { ...client, ...fields };
    await tx.clients.update(next);
    return clientView(next);
  });
}

/** How long a replaced secret stays valid by default: a day, time to roll the new one out. */
export const DEFAULT_SECRET_GRACE = 86_400;
/** The longest grace period a rotation accepts: 30 days. */
export const MAX_SECRET_GRACE = 2_592_000;

export interface SecretRotated {
  client: ClientView;
  /** The new secret, shown this once. */
  secret: string;
  /** Until when (seconds since the epoch) the replaced secret is still accepted; null when it stopped at once. */
  previousSecretValidUntil: number | null;
}

/**
 * Gives a confidential client a new generated secret, returned here once and stored as its SHA-256. The
 * secret it replaces stays valid for `graceSeconds` (0: stops at once); a secret replaced by an earlier
 * rotation stops now. `invalid_request` for a public client or a bad grace.
 */
export async function rotateClientSecret(ports: Ports, realm: string, clientId: string, options: { graceSeconds?: number } = {}): Promise<SecretRotated> {
  const grace = options.graceSeconds ?? DEFAULT_SECRET_GRACE;
  if (!Number.isSafeInteger(grace) || grace < 0 || grace > MAX_SECRET_GRACE) throw fail('invalid_request', `the grace period must be 0–${MAX_SECRET_GRACE} seconds`);
  const secret = ports.random.token();
  return ports.store.transaction(async (tx) => {
    const client = await clientIn(tx, realm, clientId);
    if (client.secretHash === null) throw fail('invalid_request', `Client ${client.clientId} is public: it has no secret to rotate`);
    const until = grace > 0 ? ports.clock.now() + grace : null;
    const { previousSecret: _replaced, ...rest } = client;
    const next: Client = { ...rest, secretHash: ports.digest.sha256(secret), ...(until === null ? {} : { previousSecret: { hash: client.secretHash, until } }) };
    await tx.clients.update(next);
    return { client: clientView(next), secret, previousSecretValidUntil: until };
  });
}

async function clientIn(tx: Pick<Ports['store'], 'clients'>, realm: string, clientId: string): Promise<Client> {
  const client = clientId.length <= 255 ? await tx.clients.get(realm, clientId) : null;
  if (!client) throw fail('not_found', `Client ${clientId.slice(0, 64)} not found`);
  return client;
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
