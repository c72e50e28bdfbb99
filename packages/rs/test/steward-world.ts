/**
 * @module rs/test/steward-world
 * Setup over a real Steward for the kit's tests: Alice's PAT and resources, Alice's share with Bob
 * through the owner policies API, and Bob's client trading a ticket for an RPT.
 */
import assert from 'node:assert/strict';
import { basic, bearer, DEMO, postForm, request } from '../../../test/helpers/http.ts';
import type { TestSteward } from '../../../test/helpers/steward.ts';

export const UMA_GRANT = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
const rsAuth = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
const clientAuth = { authorization: basic(DEMO.client.id, DEMO.client.secret) };

/**
 * The ticket of a `WWW-Authenticate: UMA …` challenge, after checking its realm and as_uri; the
 * RFC 6750 §3.1 error parameters of a rejected RPT may follow the ticket.
 */
export function ticketOf(header: unknown, realm: string, issuer: string): string {
  const match = /^UMA realm="([^"]*)", as_uri="([^"]*)", ticket="([^"]+)"(?:, error="(?:invalid_token|insufficient_scope)", error_description="[^"\\]+")?$/.exec(String(header));
  assert.ok(match, `not a UMA challenge: ${String(header)}`);
  assert.equal(match[1], realm);
  assert.equal(match[2], issuer);
  return match[3]!;
}

/** A PAT of Alice at photoz-rs (password grant, scope uma_protection). */
export async function alicePat(s: TestSteward): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rsAuth);
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

/** photoz-rs's own PAT (client_credentials). */
export async function rsPat(s: TestSteward): Promise<string> {
  const res = await postForm(s.app, DEMO.token, { grant_type: 'client_credentials', scope: 'uma_protection' }, rsAuth);
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

/** Registers a resource with the PAT's owner as owner; returns its id. */
export async function registerResource(s: TestSteward, pat: string, name: string, scopes: string[]): Promise<string> {
  const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name, resource_scopes: scopes } });
  assert.equal(res.status, 201, res.body);
  return res.json._id;
}

/** Alice shares these scopes of her resource with Bob through the owner policies API. */
export async function aliceSharesWithBob(s: TestSteward, resourceId: string, scopes: string[]): Promise<void> {
  const auth = await request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
  assert.equal(auth.status, 200, auth.body);
  const res = await request(s.app, 'PUT', `/json/realms/root/realms/demo/users/alice/uma/policies/${resourceId}`, {
    headers: { iplanetdirectorypro: auth.json.tokenId, 'if-none-match': '*' },
    body: { policyId: resourceId, permissions: [{ subject: 'bob', scopes }] },
  });
  assert.equal(res.status, 201, res.body);
}

/** The RS's own resource shared with Bob: its owner is the RS client, which has no sign-in, so the policy is written to the store. */
export async function rsSharesWithBob(s: TestSteward, resourceId: string, scopes: string[]): Promise<void> {
  const now = s.deps.clock.now();
  const created = await s.deps.store.policies.create({ realm: 'demo', id: resourceId, owner: DEMO.rs.id, rev: s.deps.random.uuid(), permissions: [{ subject: 'bob', scopes }], createdAt: now, updatedAt: now });
  assert.ok(created);
}

/** Bob's client trades a ticket for an RPT with Bob's ID token as claim token. */
export async function bobTrades(s: TestSteward, ticket: string): Promise<{ status: number; json: any }> {
  const idt = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, clientAuth);
  assert.equal(idt.status, 200, idt.body);
  const res = await postForm(s.app, DEMO.token, { grant_type: UMA_GRANT, ticket, claim_token: idt.json.id_token, claim_token_format: ID_TOKEN }, clientAuth);
  return { status: res.status, json: res.json };
}

/** Bob's RPT for a ticket (asserts the trade succeeds). */
export async function bobRpt(s: TestSteward, ticket: string): Promise<string> {
  const res = await bobTrades(s, ticket);
  assert.equal(res.status, 200, JSON.stringify(res.json));
  return res.json.access_token;
}

/** Bob's user id (the `sub` of his tokens). */
export async function bobId(s: TestSteward): Promise<string> {
  const user = await s.deps.store.users.findByUsername('demo', 'bob');
  assert.ok(user);
  return user.id;
}
