/** @module test/suite/fixtures — model builders with every field set, and assertion helpers. */
import assert from 'node:assert/strict';
import { DEFAULT_REALM_SETTINGS, isStewardError, UMA_GRANT_TYPE } from '@steward/core';
import type {
  AccessRequest,
  Client,
  Policy,
  Realm,
  Resource,
  Session,
  SigningKey,
  Store,
  Ticket,
  TokenRecord,
  User,
} from '@steward/core';

/** A StoreHandle as the suite receives it from a dialect's factory. */
export interface StoreHandle {
  store: Store;
  dialect: 'sqlite' | 'postgres';
  cleanup(): Promise<void>;
  /** Opens another, independent Store (its own connections) on the same database, for cross-instance races. */
  openAnother?(): Promise<Store>;
}

/** A time past 2^31 seconds (year 2100), so 32-bit truncation or bigint strings would show. */
export const T = 4_102_444_800;

let counter = 0;
export function unique(prefix: string): string {
  counter += 1;
  return `${prefix}-${counter}`;
}

export function realm(over: Partial<Realm> = {}): Realm {
  return {
    id: unique('realm'),
    displayName: 'Démo realm ✓',
    settings: { ...DEFAULT_REALM_SETTINGS, accessRequests: true, signingAlg: 'RS256', ticketLifetime: 42 },
    createdAt: T,
    ...over,
  };
}

export function key(realmId: string, over: Partial<SigningKey> = {}): SigningKey {
  const kid = over.kid ?? unique('kid');
  return {
    realm: realmId,
    kid,
    alg: 'ES256',
    privateJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', d: 'dd', kid },
    publicJwk: { kty: 'EC', crv: 'P-256', x: 'xx', y: 'yy', kid, alg: 'ES256', use: 'sig' },
    createdAt: T,
    activeFrom: T + 60,
    retiredAt: null,
    ...over,
  };
}

export function user(realmId: string, over: Partial<User> = {}): User {
  return {
    realm: realmId,
    id: unique('user-id'),
    username: unique('user'),
    email: 'alice@example.org',
    passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA',
    admin: true,
    disabled: false,
    createdAt: T,
    ...over,
  };
}

export function client(realmId: string, over: Partial<Client> = {}): Client {
  return {
    realm: realmId,
    clientId: unique('client'),
    secretHash: 'ab'.repeat(32),
    name: 'Photo printer',
    grantTypes: ['client_credentials', UMA_GRANT_TYPE],
    redirectUris: ['https://app.example/cb', 'http://127.0.0.1:8080/cb'],
    claimsRedirectUris: ['https://app.example/claims'],
    umaScopes: ['view', 'print'],
    signingAlg: 'RS256',
    rptRefreshTokens: true,
    disabled: false,
    createdAt: T,
    ...over,
  };
}

export function resource(realmId: string, owner: string, over: Partial<Resource> = {}): Resource {
  return {
    realm: realmId,
    id: unique('res'),
    owner,
    resourceServer: 'photoz',
    name: 'Alice’s photo album',
    type: 'https://www.example.com/rsrcs/photoalbum',
    iconUri: 'https://www.example.com/icons/flower.png',
    description: 'Summer 2026',
    scopes: ['view', 'delete', 'print'],
    extra: { 'name#fr': 'Album photo', nested: { list: [1, 'two', null], flag: true } },
    createdAt: T,
    updatedAt: T + 1,
    ...over,
  };
}

export function policy(realmId: string, owner: string, id: string, over: Partial<Policy> = {}): Policy {
  return {
    realm: realmId,
    id,
    owner,
    rev: unique('rev'),
    permissions: [
      { subject: 'bob', scopes: ['view'] },
      { subject: 'client:printer', scopes: ['view', 'print'] },
    ],
    createdAt: T,
    updatedAt: T + 2,
    ...over,
  };
}

export function ticket(realmId: string, over: Partial<Ticket> = {}): Ticket {
  return {
    realm: realmId,
    hash: unique('ticket-hash'),
    owner: 'alice-id',
    resourceServer: 'photoz',
    permissions: [{ resourceId: 'r1', scopes: ['view'] }, { resourceId: 'r2', scopes: [] }],
    claims: { email: 'bob@example.org', groups: ['friends'] },
    createdAt: T,
    expiresAt: T + 300,
    ...over,
  };
}

export function token(realmId: string, over: Partial<TokenRecord> = {}): TokenRecord {
  return {
    realm: realmId,
    id: unique('token-id'),
    kind: 'refresh',
    clientId: 'printer',
    subject: 'bob-id',
    grantId: unique('grant'),
    createdAt: T,
    expiresAt: T + 1800,
    revoked: false,
    data: {
      scope: 'openid profile',
      permissions: [{ resourceId: 'r1', scopes: ['view'], owner: 'alice-id', resourceServer: 'photoz', exp: T + 60 }],
      nonce: 'n-0S6_WzA2Mj',
    },
    ...over,
  };
}

export function session(realmId: string, over: Partial<Session> = {}): Session {
  return { realm: realmId, hash: unique('session-hash'), userId: 'alice-id', createdAt: T, expiresAt: T + 3600, ...over };
}

export function accessRequest(realmId: string, over: Partial<AccessRequest> = {}): AccessRequest {
  return {
    realm: realmId,
    id: unique('ar'),
    owner: 'alice-id',
    resourceId: 'r1',
    requester: 'bob-id',
    clientId: 'printer',
    scopes: ['view'],
    status: 'pending',
    createdAt: T,
    updatedAt: T,
    ...over,
  };
}

/** Asserts that `promise` rejects with a StewardError of code `conflict`. */
export async function assertConflict(promise: Promise<unknown>): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(isStewardError(error), `expected a StewardError, got ${String(error)}`);
    assert.equal(error.code, 'conflict');
    return true;
  });
}

export function sorted(values: string[]): string[] {
  return [...values].sort();
}
