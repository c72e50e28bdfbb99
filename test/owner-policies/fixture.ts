/**
 * @module test/owner-policies/fixture
 * Shared steps of the owner policy tests: sign in (AM authenticate), register a resource for a demo
 * user, obtain a user's own OAuth access token, and the policy URL.
 */
import assert from 'node:assert/strict';
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

/** A PAT of `username` for photoz-rs (password grant, scope uma_protection). */
async function pat(steward: TestSteward, username: string): Promise<string> {
  const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope: 'uma_protection' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

/** Registers a resource of `username` with the Protection API (photoz-rs); returns its id. */
export async function registerResource(
  steward: TestSteward,
  username: string,
  description: { name?: string; scopes: string[] } = { name: 'Photo Album', scopes: ['view', 'comment', 'download'] },
): Promise<string> {
  const body: Record<string, unknown> = { resource_scopes: description.scopes };
  if (description.name !== undefined) body.name = description.name;
  const res = await request(steward.app, 'POST', DEMO.resourceSet, { body, headers: { authorization: bearer(await pat(steward, username)) } });
  assert.equal(res.status, 201, res.body);
  return res.json._id;
}

/** An OAuth access token of `username` for photoz-client (password grant) with the owner APIs' `sharing` scope. */
export async function userAccessToken(steward: TestSteward, username: string, scope = 'openid sharing'): Promise<string> {
  const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

/** An access token photoz-rs obtains for itself (client_credentials): its subject is no user. */
export async function clientAccessToken(steward: TestSteward): Promise<string> {
  const res = await postForm(steward.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
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

/** AM's documented first sharing: bob may view and comment. */
export function bobViewComment(id: string): Record<string, unknown> {
  return { policyId: id, permissions: [{ subject: 'bob', scopes: ['view', 'comment'] }] };
}
