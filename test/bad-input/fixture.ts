/**
 * @module test/bad-input/fixture
 * Shared steps of the bad-input sweep: raw requests (any method, body and content type), assertions of
 * the documented error shapes with no internal detail leaking, tokens from the password grant, a second
 * realm, and forged JWTs (alg none, an unknown key, a tampered payload).
 */
import assert from 'node:assert/strict';
import { STATUS_CODES } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { CompactSign, generateKeyPair } from 'jose';
import { addClient, addUser, createRealm } from '../helpers/seed.ts';
import { basic, DEMO, postForm, toReply, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';

export const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
export const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
/** The second realm of the sweep: same user and client names as the demo realm, other keys. */
export const ELSEWHERE = 'elsewhere';
/** Larger than the default `STEWARD_BODY_LIMIT` (65536 bytes). */
export const OVERSIZE = 70_000;
/** An absurdly long value (10 kB). */
export const LONG = 'x'.repeat(10_000);

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD' | 'OPTIONS';

/** A request sent exactly as given: no content type is added unless `headers` names one. */
export async function raw(app: FastifyInstance, method: Method, url: string, options: { payload?: string | Buffer; headers?: Record<string, string> } = {}): Promise<Reply> {
  const res = await app.inject({ method, url, headers: { ...options.headers }, ...(options.payload !== undefined ? { payload: options.payload } : {}) });
  return toReply(res);
}

/** A form body built from pairs, so parameters can repeat in any order. */
export function formBody(pairs: Array<[string, string]>): string {
  const body = new URLSearchParams();
  for (const [k, v] of pairs) body.append(k, v);
  return body.toString();
}

export const FORM = { 'content-type': 'application/x-www-form-urlencoded' } as const;
export const JSON_TYPE = { 'content-type': 'application/json' } as const;

/** Markers of internals that must never reach a caller: stack frames, file paths, SQL, driver errors. */
const LEAKS: RegExp[] = [
  /\bat [\w$.<>]+ \(/,
  /\n\s+at /,
  /(?:file:\/\/|node_modules|(?:\/[\w.-]+)+\.(?:ts|js|mjs|cjs)\b|\.ts:\d+)/,
  /\b(?:SELECT|INSERT INTO|DELETE FROM|UPDATE \w+ SET)\b/,
  /\b(?:SQLITE_\w+|sqlite3?|postgres(?:ql)?|kysely|violates|syntax error at|invalid byte sequence|duplicate key)\b/i,
  /\b(?:TypeError|ReferenceError|RangeError|FST_\w+)\b/,
  /Internal server error/i,
];

export function assertNoLeak(res: Reply): void {
  for (const pattern of LEAKS) assert.doesNotMatch(res.body, pattern, `internal detail in the body: ${res.body.slice(0, 300)}`);
  assert.notEqual(res.status, 500, res.body);
}

const OAUTH_MEMBERS = new Set(['error', 'error_description', 'ticket', 'required_claims', 'redirect_user', 'interval']);

/** An OAuth error (RFC 6749 §5.2): exact status and code, JSON, no caching, nothing but the documented members. */
export function assertOAuth(res: Reply, status: number, error: string): void {
  assert.equal(res.status, status, `expected ${status} ${error}, got ${res.status}: ${res.body.slice(0, 300)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, res.body);
  assert.ok(res.json && typeof res.json === 'object' && !Array.isArray(res.json), res.body);
  assert.equal(res.json.error, error, res.body);
  if (res.json.error_description !== undefined) assert.equal(typeof res.json.error_description, 'string');
  for (const member of Object.keys(res.json)) assert.ok(OAUTH_MEMBERS.has(member), `unexpected member ${member}`);
  assert.match(String(res.headers['cache-control']), /no-store/);
  assertNoLeak(res);
}

/** A CREST error: `{code, reason, message}` exactly, `code` equal to the status. */
export function assertCrest(res: Reply, status: number): void {
  assert.equal(res.status, status, `expected CREST ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
  assert.match(String(res.headers['content-type']), /^application\/json/, res.body);
  assert.deepEqual(Object.keys(res.json ?? {}).sort(), ['code', 'message', 'reason'], res.body);
  assert.equal(res.json.code, status);
  assert.equal(res.json.reason, STATUS_CODES[status]);
  assert.equal(typeof res.json.message, 'string');
  assertNoLeak(res);
}

/** A browser endpoint's error: an HTML page with the status, never a redirect. */
export function assertErrorPage(res: Reply, status: number): void {
  assert.equal(res.status, status, `expected page ${status}, got ${res.status}: ${res.body.slice(0, 300)}`);
  assert.match(String(res.headers['content-type']), /^text\/html/, res.body);
  assert.equal(res.headers.location, undefined, 'an error page is never a redirect');
  assertNoLeak(res);
}

/** The token response of the password grant as `username` through `client`. */
export async function passwordTokens(s: TestSteward, username: string, scope: string, client: { id: string; secret: string }, realm: string = DEMO.realm): Promise<Record<string, any>> {
  const res = await postForm(s.app, `/realms/${realm}/protocol/openid-connect/token`, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) });
  assert.equal(res.status, 200, `password grant failed: ${res.body}`);
  return res.json;
}

/** A PAT of `username` at photoz-rs (or `client`) in `realm`. */
export async function patFor(s: TestSteward, username: string, client: { id: string; secret: string } = DEMO.rs, realm: string = DEMO.realm): Promise<string> {
  return (await passwordTokens(s, username, 'uma_protection', client, realm)).access_token;
}

/** Creates the second realm with alice, photoz-rs and photoz-client, all named as in the demo realm. */
export async function createElsewhere(s: TestSteward): Promise<void> {
  await createRealm(s.deps, { id: ELSEWHERE, settings: { signingAlg: 'RS256' } });
  await addUser(s.deps, ELSEWHERE, { username: 'alice', password: DEMO.password });
  await addClient(s.deps, ELSEWHERE, { clientId: DEMO.rs.id, secret: DEMO.rs.secret, grantTypes: ['password', 'client_credentials'] });
  await addClient(s.deps, ELSEWHERE, { clientId: DEMO.client.id, secret: DEMO.client.secret, grantTypes: ['password', UMA] });
}

function part(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

export function jwtHeader(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[0]!, 'base64url').toString('utf8'));
}

export function jwtPayload(jwt: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString('utf8'));
}

/** Forgeries of a genuine JWT: each must be refused wherever the genuine one is accepted. */
export async function forgeries(genuine: string): Promise<Array<[string, string]>> {
  const header = jwtHeader(genuine);
  const payload = jwtPayload(genuine);
  const [h, p, sig] = genuine.split('.') as [string, string, string];
  const rsa = await generateKeyPair('RS256');
  const ec = await generateKeyPair('ES256');
  const signWith = (key: Parameters<CompactSign['sign']>[0], protectedHeader: Record<string, unknown>, claims: Record<string, unknown>) =>
    new CompactSign(new TextEncoder().encode(JSON.stringify(claims))).setProtectedHeader(protectedHeader as { alg: string }).sign(key);
  return [
    ['alg none, no signature', `${part({ ...header, alg: 'none' })}.${p}.`],
    ['alg none, genuine signature kept', `${part({ ...header, alg: 'none' })}.${p}.${sig}`],
    ['signed by a key not in the JWKS, genuine kid', await signWith(rsa.privateKey, { ...header }, payload)],
    ['signed by a key not in the JWKS, unknown kid', await signWith(rsa.privateKey, { ...header, kid: 'not-a-kid' }, payload)],
    ['ES256 by a foreign key under the RS256 kid', await signWith(ec.privateKey, { ...header, alg: 'ES256' }, payload)],
    ['payload tampered (longer expiry)', `${h}.${part({ ...payload, exp: Number(payload.exp) + 86_400 })}.${sig}`],
    ['header without kid', `${part({ alg: header.alg, typ: header.typ })}.${p}.${sig}`],
    ['not base64url', `${h}.@@@.${sig}`],
    ['two parts only', `${h}.${p}`],
  ];
}
