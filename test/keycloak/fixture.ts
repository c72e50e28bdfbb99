/**
 * @module test/keycloak/fixture
 * The demo realm as Keycloak's client libraries meet it, over a real socket: Alice's resources
 * registered by photoz-rs (Album: view, edit; Photo: view, download), Album shared with Bob for `view`
 * and Photo for `download` through Keycloak's `uma-policy` API, and helpers for the token endpoint.
 */
import assert from 'node:assert/strict';
import { DEMO } from '../helpers/http.ts';
import { startTestSteward, type Dialect, type TestSteward } from '../helpers/steward.ts';

export const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
export const RS = DEMO.rs;
export const BASIC_RS = `Basic ${Buffer.from(`${RS.id}:${RS.secret}`).toString('base64')}`;

export interface Answer {
  status: number;
  body: string;
  json: any;
}

export interface KeycloakWorld {
  s: TestSteward;
  album: string;
  photo: string;
  /** Alice's token at photoz-rs that may register resources and manage her policies. */
  alice: string;
  bob: string;
  chris: string;
  close(): Promise<void>;
}

export async function call(url: string, init: { method?: string; headers?: Record<string, string>; form?: Array<[string, string]>; json?: unknown } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...init.headers };
  let body: string | undefined;
  if (init.form) {
    body = new URLSearchParams(init.form).toString();
    headers['content-type'] = 'application/x-www-form-urlencoded';
  } else if (init.json !== undefined) {
    body = JSON.stringify(init.json);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(url, { method: init.method ?? (body === undefined ? 'GET' : 'POST'), headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, body: text, json };
}

/** A user's token from photoz-rs by the password grant (Basic, as keycloak-connect sends it). */
export async function userToken(s: TestSteward, username: string, scope = 'openid'): Promise<string> {
  const res = await call(`${s.baseUrl}${DEMO.token}`, { headers: { authorization: BASIC_RS }, form: [['grant_type', 'password'], ['username', username], ['password', DEMO.password], ['scope', scope]] });
  assert.equal(res.status, 200, res.body);
  return res.json.access_token;
}

export function payload(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}

async function register(s: TestSteward, pat: string, name: string, scopes: string[]): Promise<string> {
  const res = await call(`${s.baseUrl}${DEMO.resourceSet}`, { headers: { authorization: `Bearer ${pat}` }, json: { name, resource_scopes: scopes } });
  assert.equal(res.status, 201, res.body);
  return res.json._id;
}

/** Shares through Keycloak's uma-policy API with Alice's token. */
export async function share(w: Pick<KeycloakWorld, 's' | 'alice'>, resourceId: string, body: Record<string, unknown>): Promise<Answer> {
  return call(`${w.s.issuer}/authz/protection/uma-policy/${resourceId}`, { headers: { authorization: `Bearer ${w.alice}` }, json: body });
}

export async function keycloakWorld(dialect: Dialect): Promise<KeycloakWorld> {
  const s = await startTestSteward(dialect, { listen: true });
  const alice = await userToken(s, 'alice', 'openid uma_protection sharing');
  const album = await register(s, alice, 'Album', ['view', 'edit']);
  const photo = await register(s, alice, 'Photo', ['view', 'download']);
  const w = { s, alice, album, photo, bob: await userToken(s, 'bob'), chris: await userToken(s, 'chris'), close: () => s.close() };
  assert.equal((await share(w, album, { name: 'Bob views the album', users: ['bob'], scopes: ['view'] })).status, 200);
  assert.equal((await share(w, photo, { name: 'Bob downloads the photo', users: ['bob'], scopes: ['download'] })).status, 200);
  return w;
}

/** The ticketless UMA grant as keycloak-connect's enforcer sends it (photoz-rs, Basic, subject_token). */
export function enforcerAsk(w: KeycloakWorld, subject: string, permissions: string[], extra: Array<[string, string]> = [['response_mode', 'permissions']]): Promise<Answer> {
  const form: Array<[string, string]> = [['grant_type', UMA], ['audience', RS.id], ['subject_token', subject], ...permissions.map((p): [string, string] => ['permission', p]), ...extra];
  return call(`${w.s.issuer}/protocol/openid-connect/token`, { headers: { authorization: BASIC_RS }, form });
}
