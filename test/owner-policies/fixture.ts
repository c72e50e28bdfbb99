/**
 * @module test/owner-policies/fixture
 * Shared steps of the owner policy tests: sign in (AM authenticate), register a resource for a demo
 * user, obtain a user's own OAuth access token, and the policy URL.
 */
import assert from 'node:assert/strict';
import { issueAccessToken, type Resource } from '@steward/core';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';

export const AUTHENTICATE = '/json/realms/root/realms/demo/authenticate';
export const SESSION_HEADER = 'iPlanetDirectoryPro';

export function policyUrl(user: string, id: string): string {
  return `/json/realms/root/realms/demo/users/${user}/uma/policies/${id}`;
}

/** Signs in with AM's headers; returns the session token (`tokenId`). */
export async function signIn(steward: TestSteward, username: string, password: string = DEMO.password): Promise<string> {
  const res = await request(steward.app, 'POST', AUTHENTICATE, {
    headers: { 'x-openam-username': username, 'x-openam-password': password, 'accept-api-version': 'resource=2.0, protocol=1.0' },
  });
  assert.equal(res.status, 200, res.body);
  assert.equal(typeof res.json.tokenId, 'string');
  return res.json.tokenId;
}

/** The headers of a request made with a session token. */
export function session(token: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [SESSION_HEADER]: token, 'accept-api-version': 'resource=1.0', ...extra };
}

export async function userId(steward: TestSteward, username: string): Promise<string> {
  const user = await steward.deps.store.users.findByUsername(DEMO.realm, username);
  assert.ok(user, `demo user ${username}`);
  return user.id;
}

/** A PAT for `username` from photoz-rs, when the password grant is available; null otherwise. */
async function pat(steward: TestSteward, username: string): Promise<string | null> {
  const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
  return res.status === 200 && typeof res.json?.access_token === 'string' ? res.json.access_token : null;
}

/**
 * Registers a resource of `username` at photoz-rs: through the Protection API when it answers,
 * otherwise straight into the store.
 */
export async function registerResource(
  steward: TestSteward,
  username: string,
  description: { name?: string; scopes: string[] } = { name: 'Photo Album', scopes: ['view', 'comment', 'download'] },
): Promise<string> {
  const token = await pat(steward, username);
  if (token) {
    const body: Record<string, unknown> = { resource_scopes: description.scopes };
    if (description.name !== undefined) body.name = description.name;
    const res = await request(steward.app, 'POST', DEMO.resourceSet, { body, headers: { authorization: bearer(token) } });
    if (res.status === 201 && typeof res.json?._id === 'string') return res.json._id;
  }
  const now = Math.floor(Date.now() / 1000);
  const resource: Resource = {
    realm: DEMO.realm,
    id: steward.deps.random.uuid(),
    owner: await userId(steward, username),
    resourceServer: DEMO.rs.id,
    name: description.name ?? null,
    type: null,
    iconUri: null,
    description: null,
    scopes: description.scopes,
    extra: {},
    createdAt: now,
    updatedAt: now,
  };
  await steward.deps.store.resources.insert(resource);
  return resource.id;
}

/** An OAuth access token of `username` for photoz-client (password grant, or issued directly when it has not landed). */
export async function userAccessToken(steward: TestSteward, username: string): Promise<string> {
  const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
  if (res.status === 200 && typeof res.json?.access_token === 'string') return res.json.access_token;
  return clientAccessToken(steward, DEMO.client.id, await userId(steward, username));
}

/** An access token issued to `clientId` for `subject` (a user id, or the client itself). */
export async function clientAccessToken(steward: TestSteward, clientId: string, subject: string): Promise<string> {
  const realm = await steward.deps.store.realms.get(DEMO.realm);
  const client = await steward.deps.store.clients.get(DEMO.realm, clientId);
  assert.ok(realm && client);
  const issued = await issueAccessToken(steward.deps, { realm, client, subject, scope: 'openid', grantId: steward.deps.random.uuid() });
  return issued.token;
}

/** Asserts a CREST error body with the exact status, reason and (when given) message. */
export function assertCrest(res: Reply, status: number, reason: string, message?: string | RegExp): void {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.code, status, res.body);
  assert.equal(res.json?.reason, reason, res.body);
  assert.equal(typeof res.json?.message, 'string', res.body);
  if (typeof message === 'string') assert.equal(res.json.message, message);
  else if (message) assert.match(res.json.message, message);
  assert.deepEqual(Object.keys(res.json).sort(), ['code', 'message', 'reason']);
}

/** The seed's first sharing: bob may view and comment. */
export function bobViewComment(id: string): Record<string, unknown> {
  return { policyId: id, permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }] };
}
