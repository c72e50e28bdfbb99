/**
 * @module test/scopes/fixture
 * Shared steps of the scope, group and organization tests: the admin API with a test admin token,
 * resources registered with any description, policies written through the owner API, and the scope
 * views of the owner, the requesting party and the resource server.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { bearer, request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { session, signIn } from '../owner-policies/fixture.ts';
import type { UmaWorld } from '../uma-grant/fixture.ts';

const ADMIN_TOKEN = 'test-admin-token-for-scopes-groups-and-organizations';

/** Turns the admin API on with a known token (its SHA-256 is what the configuration holds). */
export function enableAdmin(s: TestSteward): void {
  (s.deps.config as { adminTokenSha256: string | null }).adminTokenSha256 = createHash('sha256').update(ADMIN_TOKEN).digest('hex');
}

/** An admin API call. */
export function admin(s: TestSteward, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown): Promise<Reply> {
  return request(s.app, method, url, { headers: { authorization: bearer(ADMIN_TOKEN) }, ...(body === undefined ? {} : { body }) });
}

/** Publishes a configuration of `rs` through the admin API; asserts 200. */
export async function publish(s: TestSteward, realm: string, rs: string, config: unknown): Promise<Reply> {
  const res = await admin(s, 'PUT', `/admin/realms/${realm}/resource-servers/${rs}/configuration`, config);
  assert.equal(res.status, 200, res.body);
  return res;
}

/** Registers a resource with this description using `pat`; returns the reply (not asserted). */
export async function register(w: UmaWorld, pat: string, body: Record<string, unknown>): Promise<Reply> {
  return request(w.s.app, 'POST', `/realms/${w.realm}/authz/protection/resource_set`, { headers: { authorization: bearer(pat) }, body });
}

/** Asserts an OAuth-style error with its status, code and a description matching `message`. */
export function assertOAuthError(res: Reply, status: number, error: string, message?: RegExp): void {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.error, error, res.body);
  if (message) assert.match(res.json.error_description, message);
}

/** A session token of a demo-realm (or other realm) user, through the owner API's authenticate. */
export async function ownerSession(s: TestSteward, username: string, realm = 'demo', password?: string): Promise<string> {
  if (realm === 'demo') return signIn(s, username, password);
  const res = await request(s.app, 'POST', `/json/realms/root/realms/${realm}/authenticate`, {
    headers: { 'x-openam-username': username, 'x-openam-password': password ?? '', 'accept-api-version': 'resource=2.0, protocol=1.0' },
  });
  assert.equal(res.status, 200, res.body);
  return res.json.tokenId;
}

/** Writes (creates or replaces) the policy of `user` (a username or `org:{id}`) through the owner API. */
export function putPolicy(s: TestSteward, realm: string, token: string, user: string, resourceId: string, permissions: unknown[]): Promise<Reply> {
  return request(s.app, 'PUT', `/json/realms/root/realms/${realm}/users/${encodeURIComponent(user)}/uma/policies/${resourceId}`, {
    headers: session(token),
    body: { policyId: resourceId, permissions },
  });
}

/** The scope view of `user` on a resource, through the owner API. */
export function scopeView(s: TestSteward, realm: string, token: string, user: string, resourceId: string): Promise<Reply> {
  return request(s.app, 'GET', `/json/realms/root/realms/${realm}/users/${encodeURIComponent(user)}/uma/scopes/${resourceId}`, { headers: session(token) });
}
