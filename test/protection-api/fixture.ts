/**
 * @module test/protection-api/fixture
 * PATs and a second resource server for the Protection API tests. PATs come from the password grant
 * (photoz-rs for alice or bob, scope uma_protection).
 */
import assert from 'node:assert/strict';
import { addClient } from '../helpers/seed.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';

export const OTHER_RS = { id: 'other-rs', secret: 'other-rs-secret-0123456789' } as const;

/** An access token for `username` at `client`, with `scope`. */
export async function tokenFor(s: TestSteward, username: string, scope = 'uma_protection', client: { id: string; secret: string } = DEMO.rs): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
  assert.equal(res.status, 200, `password grant failed: ${res.body}`);
  return res.json.access_token;
}

/** Registers a second confidential resource server in the demo realm. */
export async function addOtherResourceServer(s: TestSteward): Promise<void> {
  await addClient(s.deps, 'demo', { clientId: OTHER_RS.id, secret: OTHER_RS.secret, grantTypes: ['password', 'client_credentials'] });
}

export function auth(pat: string): Record<string, string> {
  return { authorization: bearer(pat) };
}

/** Registers a resource with `pat`; asserts 201 and returns the reply. */
export async function register(s: TestSteward, pat: string, body: Record<string, unknown>): Promise<Reply> {
  const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: auth(pat), body });
  assert.equal(res.status, 201, res.body);
  return res;
}

/** Asserts an OAuth error reply. */
export function assertError(res: Reply, status: number, error: string, descriptionPattern?: RegExp): void {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.error, error, res.body);
  if (descriptionPattern) assert.match(String(res.json.error_description), descriptionPattern);
}
