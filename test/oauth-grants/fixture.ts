/**
 * @module test/oauth-grants/fixture
 * Shared steps of the token-endpoint grant tests: obtaining tokens, and checking a JWT's header,
 * claims and signature against the realm's published JWKS.
 */
import assert from 'node:assert/strict';
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from 'jose';
import { basic, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';

export const RS = DEMO.rs;
export const CLIENT = DEMO.client;

/** A password grant as `username` through `client` (photoz-client by default), Basic authentication. */
export function passwordGrant(
  steward: TestSteward,
  username: string,
  scope?: string,
  client: { id: string; secret: string } = CLIENT,
): Promise<Reply> {
  return postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
}

export function refreshGrant(steward: TestSteward, refreshToken: string, scope?: string, client: { id: string; secret: string } = CLIENT): Promise<Reply> {
  return postForm(steward.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: refreshToken, scope }, { authorization: basic(client.id, client.secret) });
}

/** Asserts an OAuth error answer. */
export function assertError(res: Reply, status: number, error: string): void {
  assert.equal(res.status, status, `status (body ${res.body})`);
  assert.equal(res.json?.error, error, res.body);
  assert.match(String(res.headers['content-type']), /application\/json/);
}

/** Asserts the token endpoint's success shape; returns the body. */
export function assertTokenResponse(res: Reply, scope: string | undefined): Record<string, any> {
  assert.equal(res.status, 200, res.body);
  assert.equal(res.json.token_type, 'Bearer');
  assert.equal(typeof res.json.access_token, 'string');
  assert.ok(Number.isInteger(res.json.expires_in) && res.json.expires_in > 0);
  if (scope !== undefined) assert.equal(res.json.scope, scope);
  assert.match(String(res.headers['cache-control']), /no-store/);
  assert.equal(res.headers.pragma, 'no-cache');
  return res.json;
}

/**
 * Verifies a JWT against the realm's JWKS (RS256 for the demo realm) and checks the claims every
 * Steward token carries; returns the payload. `aud` is the client (`azp`) unless given (an RPT's is
 * its resource servers).
 */
export async function verifyJwt(steward: TestSteward, jwt: string, expect: { sub: string; azp: string; typ: 'Bearer' | 'ID'; aud?: string | string[] }): Promise<Record<string, any>> {
  const certs = await request(steward.app, 'GET', '/realms/demo/protocol/openid-connect/certs');
  const { payload, protectedHeader } = await compactVerify(jwt, createLocalJWKSet(certs.json as JSONWebKeySet));
  assert.equal(protectedHeader.alg, 'RS256');
  assert.equal(typeof protectedHeader.kid, 'string');
  assert.ok(certs.json.keys.some((k: { kid: string }) => k.kid === protectedHeader.kid));
  assert.deepEqual(decodeProtectedHeader(jwt), protectedHeader);
  const claims = JSON.parse(new TextDecoder().decode(payload)) as Record<string, any>;
  assert.equal(claims.iss, steward.issuer);
  assert.equal(claims.sub, expect.sub);
  assert.deepEqual(claims.aud, expect.aud ?? expect.azp);
  assert.equal(claims.azp, expect.azp);
  assert.equal(claims.typ, expect.typ);
  assert.ok(Number.isInteger(claims.iat));
  assert.ok(Number.isInteger(claims.exp) && claims.exp > claims.iat);
  assert.match(String(claims.jti), /^[0-9a-f-]{36}$/);
  return claims;
}

/** The demo user's id. */
export async function userId(steward: TestSteward, username: string): Promise<string> {
  const user = await steward.deps.store.users.findByUsername('demo', username);
  assert.ok(user, username);
  return user.id;
}

/** The `jti` of a JWT, without verifying it. */
export function jtiOf(jwt: string): string {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8')).jti;
}
