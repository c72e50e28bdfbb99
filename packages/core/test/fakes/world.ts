/**
 * @module test/fakes/world
 * A small realm in the fake store for the grant services' unit tests: alice owns an album and a photo
 * at the resource server `photos`; bob and carol are requesting parties; `printer` is a confidential
 * client, `viewer` a public one. Tickets come from the permission endpoint's use case, ID tokens from
 * the token service, so a test starts where a client would.
 */
import assert from 'node:assert/strict';
import { DEFAULT_REALM_SETTINGS, issueIdToken, isStewardError, requestPermission, UMA_GRANT_TYPE, type Client, type Permission, type PolicyPermission, type Realm, type RealmSettings, type Resource, type StewardErrorCode, type User } from '@steward/core';
import { fakePorts, T0, type FakePorts } from './ports.ts';

export const REALM = 'demo';
export const RS = 'photos';
/** The claim token format of an ID token (UMA Grant §3.3.1, `claim_token_format`). */
export const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

export function user(id: string, username: string, over: Partial<User> = {}): User {
  return { realm: REALM, id, username, email: null, passwordHash: 'sha256$-', admin: false, disabled: false, createdAt: T0, ...over };
}

export function client(clientId: string, over: Partial<Client> = {}): Client {
  return {
    realm: REALM,
    clientId,
    secretHash: 'a'.repeat(64),
    name: clientId,
    grantTypes: [UMA_GRANT_TYPE, 'client_credentials'],
    redirectUris: [],
    claimsRedirectUris: [],
    umaScopes: [],
    signingAlg: null,
    rptRefreshTokens: true,
    disabled: false,
    createdAt: T0,
    ...over,
  };
}

export function resource(id: string, scopes: string[], owner = 'alice-id', over: Partial<Resource> = {}): Resource {
  return { realm: REALM, id, owner, resourceServer: RS, name: `${id} name`, type: null, iconUri: null, description: null, scopes, extra: {}, createdAt: T0, updatedAt: T0, ...over };
}

export interface World extends FakePorts {
  realm: Realm;
  alice: User;
  bob: User;
  carol: User;
  printer: Client;
  viewer: Client;
  /** Sets the owner's policy on a resource (replacing it). */
  share(resourceId: string, permissions: PolicyPermission[], owner?: string): Promise<void>;
  /** A permission ticket for alice's resources, as the resource server obtains it. */
  ticket(permissions: Permission[]): Promise<string>;
  /** An ID token of `who` for `to` (a claim token). */
  idToken(who: User, to: Client): Promise<string>;
}

/** A fresh world; `settings` override the realm's defaults. */
export async function world(settings: Partial<RealmSettings> = {}): Promise<World> {
  const f = fakePorts();
  const realm: Realm = { id: REALM, displayName: 'Demo', settings: { ...DEFAULT_REALM_SETTINGS, ...settings }, createdAt: T0 };
  const [alice, bob, carol] = [user('alice-id', 'alice'), user('bob-id', 'bob'), user('carol-id', 'carol')];
  for (const u of [alice, bob, carol]) await f.fakes.users.create(u);
  const printer = client('printer', { umaScopes: ['print'] });
  const viewer = client('viewer', { secretHash: null });
  for (const c of [printer, viewer, client(RS)]) await f.fakes.clients.create(c);
  await f.fakes.resources.insert(resource('album', ['view', 'edit', 'print']));
  await f.fakes.resources.insert(resource('photo', ['view', 'download']));
  let rev = 0;
  return {
    ...f,
    realm,
    alice,
    bob,
    carol,
    printer,
    viewer,
    async share(resourceId, permissions, owner = alice.id) {
      rev += 1;
      const policy = { realm: REALM, id: resourceId, owner, rev: `rev-${rev}`, permissions, createdAt: f.clock.now(), updatedAt: f.clock.now() };
      if (!(await f.fakes.policies.create(policy))) assert.equal(await f.fakes.policies.update(policy, null), 'updated');
    },
    async ticket(permissions) {
      return (await requestPermission(f.ports, { realm, owner: alice.id, resourceServer: RS, permissions })).ticket;
    },
    idToken(who, to) {
      return issueIdToken(f.ports, { realm, client: to, subject: who.id, username: who.username, email: who.email });
    },
  };
}

/** Asserts that `promise` rejects with a StewardError of `code`; returns the error for more checks. */
export async function rejection(promise: Promise<unknown>, code: StewardErrorCode) {
  try {
    await promise;
  } catch (error) {
    assert.ok(isStewardError(error), `expected a StewardError, got ${String(error)}`);
    assert.equal(error.code, code, error.message);
    return error;
  }
  assert.fail(`expected ${code}, but it resolved`);
}

/** The payload of a JWS, unverified (the tests read what the service put in it). */
export function payload(jwt: string): Record<string, any> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}
