/**
 * @module test/fuzz/credentials
 * The world the fuzz runs in: a real Steward on a fresh database (demo realm, the admin API on, the
 * notification worker off so no hostile webhook URL is ever called), with everything the routes take
 * an id of (a resource shared with bob, a pending access request, a group, a webhook, an organization,
 * a delivery, a user and a client the admin API may disable, an organization-owned resource) and
 * the credentials of each kind: alice's token at photoz-rs (PAT, bearer, owner APIs), alice's owner
 * session (header or cookie), photoz-client's Basic auth and the admin token.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { createSteward, loadConfig } from '@steward/server';
import { freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import type { Dialect, TestSteward } from '../helpers/steward.ts';
import type { Known } from './examples.ts';
import type { Auth, Operation } from './openapi-routes.ts';
import type { Credentials } from './cases.ts';

/** The admin API's bearer token in every fuzz Steward. */
export const ADMIN_TOKEN = 'fuzz-admin-token-0123456789abcdef';
const ID_TOKEN_FORMAT = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';
const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const OWNER = 'alice';
const PARTY = 'bob';
const VICTIM_CLIENT = 'victim-client';
const ORG_RS = 'org-rs';

export interface FuzzSteward extends TestSteward {
  databaseUrl: string;
  sessionHeader: string;
}

export interface World {
  s: FuzzSteward;
  known: Known;
  /** Request headers for `op` with the given kind of credentials. */
  headersFor(op: Operation, credentials: Credentials): Record<string, string>;
}

/** Steward on a fresh database with the admin API on and no notification worker. */
export async function startFuzzSteward(dialect: Dialect): Promise<FuzzSteward> {
  const db = await freshDatabaseUrl(dialect);
  const baseUrl = 'http://127.0.0.1:8080';
  const config = loadConfig({}, {
    databaseUrl: db.url,
    baseUrl,
    logLevel: 'silent',
    demo: true,
    notify: false,
    adminTokenSha256: createHash('sha256').update(ADMIN_TOKEN).digest('hex'),
  });
  const steward = await createSteward(config, { logLevel: process.env.STEWARD_TEST_LOG ?? 'silent' });
  return {
    ...steward,
    dialect,
    baseUrl,
    issuer: `${baseUrl}/realms/demo`,
    databaseUrl: db.url,
    sessionHeader: config.sessionHeader,
    async close() {
      await steward.close();
      await db.drop();
    },
  };
}

async function ok(what: string, reply: Promise<{ status: number; body: string; json: any }>, status = 200): Promise<any> {
  const res = await reply;
  assert.equal(res.status, status, `${what}: ${res.body.slice(0, 300)}`);
  return res.json;
}

/**
 * What a browser holds after opening the pages: their CSRF cookies (double submit), all set to the
 * first page's token so that one `csrf` form field matches whichever page a form is posted to.
 */
async function browserCookies(s: FuzzSteward, pages: string[]): Promise<{ cookie: string; csrf: string }> {
  const names: string[] = [];
  let csrf = '';
  for (const url of pages) {
    const res = await s.app.inject({ method: 'GET', url });
    const field = /name="csrf" value="([^"]+)"/.exec(res.body)?.[1];
    assert.ok(field, `${url}: no CSRF field (${res.statusCode})`);
    csrf ||= field;
    for (const line of [res.headers['set-cookie'] ?? []].flat()) {
      const [name, value] = line.split(';')[0]!.split('=');
      if (value === field) names.push(name!);
    }
  }
  assert.equal(names.length, pages.length, `one CSRF cookie per page: ${names.join()}`);
  return { cookie: names.map((n) => `${n}=${csrf}`).join('; '), csrf };
}

/** Builds the world: ids of every kind of thing, and credentials of every kind. */
export async function buildWorld(s: FuzzSteward): Promise<World> {
  const admin = { authorization: bearer(ADMIN_TOKEN) };
  const adminCall = (method: 'POST' | 'PUT' | 'GET', url: string, body?: unknown, status = 201) =>
    ok(`${method} ${url}`, request(s.app, method, url, { headers: admin, ...(body === undefined ? {} : { body }) }), status);
  const clientBasic = basic(DEMO.client.id, DEMO.client.secret);
  const token = (username: string, scope: string, client: { id: string; secret: string }) =>
    ok(`${username}'s token`, postForm(s.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope }, { authorization: basic(client.id, client.secret) }));
  const signIn = async (username: string) =>
    (await ok(`${username} signs in`, request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': username, 'x-openam-password': DEMO.password } }))).tokenId as string;

  const aliceToken = (await token(OWNER, 'openid uma_protection sharing', DEMO.rs)).access_token as string;
  const pat = { authorization: bearer(aliceToken) };
  const aliceSession = await signIn(OWNER);
  /** The session the logout route may end: it is not the one the rest of the run uses. */
  const disposableSession = await signIn('chris');

  const resource = await ok('resource', request(s.app, 'POST', DEMO.resourceSet, { headers: pat, body: { name: 'Album', type: 'photo-album', resource_scopes: ['view', 'download', 'print'] } }), 201);
  const resourceId = resource._id as string;
  await ok('share with bob', request(s.app, 'PUT', `/json/realms/root/realms/demo/users/${OWNER}/uma/policies/${resourceId}`, {
    headers: { [s.sessionHeader]: aliceSession },
    body: { policyId: resourceId, permissions: [{ subject: PARTY, scopes: ['view'] }] },
  }), 201);

  const webhook = await adminCall('POST', '/admin/realms/demo/webhooks', { url: 'http://127.0.0.1:9/fuzz-hook' });
  const ticket = (await ok('ticket', request(s.app, 'POST', DEMO.permission, { headers: pat, body: { resource_id: resourceId, resource_scopes: ['download'] } }), 201)).ticket as string;
  const party = await token(PARTY, 'openid', DEMO.client);
  const idToken = party.id_token as string;
  const asked = await postForm(s.app, DEMO.token, { grant_type: UMA, ticket, claim_token: idToken, claim_token_format: ID_TOKEN_FORMAT }, { authorization: basic(DEMO.client.id, DEMO.client.secret) });
  assert.equal(asked.json?.error, 'request_submitted', asked.body);
  const pending = await ok('pending requests', request(s.app, 'GET', `/json/realms/root/realms/demo/users/${OWNER}/uma/pendingrequests?_queryFilter=true`, { headers: { [s.sessionHeader]: aliceSession } }));
  const tickets = await ok('permission tickets', request(s.app, 'GET', '/realms/demo/authz/protection/permission/ticket', { headers: pat }));
  const deliveries = await adminCall('GET', '/admin/realms/demo/deliveries', undefined, 200);

  // The victims belong to a group and an organization, so deleting them must leave no dangling link.
  const victimUser = await adminCall('POST', '/admin/realms/demo/users', { username: 'victim', password: 'victim-password-1' });
  await adminCall('POST', '/admin/realms/demo/clients', { clientId: VICTIM_CLIENT, grantTypes: ['client_credentials'] });
  const group = await adminCall('POST', '/admin/realms/demo/groups', { name: 'fuzzers', visible: true });
  await adminCall('PUT', `/admin/realms/demo/groups/${group.id}/members/${victimUser.id}`, undefined, 204);
  // The organization owns a resource (registered by its resource server), so deleting it must not orphan it.
  const orgRsSecret = (await adminCall('POST', '/admin/realms/demo/clients', { clientId: ORG_RS, grantTypes: ['client_credentials'] })).secret as string;
  const organization = await adminCall('POST', '/admin/realms/demo/organizations', { id: 'fuzz-org', name: 'Fuzz Org', admins: [victimUser.id], clients: [VICTIM_CLIENT, ORG_RS] });
  const orgPat = (await ok('organization PAT', postForm(s.app, DEMO.token, { grant_type: 'client_credentials', scope: 'uma_protection' }, { authorization: basic(ORG_RS, orgRsSecret) }))).access_token as string;
  await ok('organization resource', request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(orgPat) }, body: { name: 'Ledger', resource_scopes: ['read'] } }), 201);

  const exported = await adminCall('GET', '/admin/realms/demo/export', undefined, 200);
  const known: Known = {
    csrf: '',
    realmDocument: { ...exported, realm: { ...exported.realm, id: 'imported' } },
    realm: 'demo',
    owner: OWNER,
    party: PARTY,
    signInName: 'dave',
    resourceId,
    accessRequestId: pending.result[0]._id,
    permissionTicketId: tickets[0]?.id ?? 'no-ticket',
    ticket: asked.json.ticket,
    partyToken: party.access_token,
    partyIdToken: idToken,
    partyRefreshToken: party.refresh_token,
    groupId: group.id,
    webhookId: webhook.id,
    organizationId: organization.id,
    deliveryId: deliveries[0]?.id ?? 'no-delivery',
    victimUserId: victimUser.id,
    victimClientId: VICTIM_CLIENT,
    resourceServer: DEMO.rs.id,
    client: DEMO.client.id,
    redirectUri: 'http://127.0.0.1:3001/callback',
    claimsRedirectUri: 'http://127.0.0.1:3001/claims-callback',
    asset: 'index.js',
  };

  const browser = await browserCookies(s, [
    `/realms/demo/protocol/openid-connect/auth?client_id=${DEMO.client.id}&redirect_uri=${encodeURIComponent(known.redirectUri)}&response_type=code&scope=openid&code_challenge=${'c'.repeat(43)}&code_challenge_method=S256`,
    `/realms/demo/uma/claims?client_id=${DEMO.client.id}&ticket=${known.ticket}&claims_redirect_uri=${encodeURIComponent(known.claimsRedirectUri)}`,
    '/realms/demo/protocol/openid-connect/logout',
  ]);
  known.csrf = browser.csrf;

  const own: Record<Auth, Record<string, string>> = {
    none: {},
    browser: { cookie: browser.cookie },
    PAT: pat,
    bearer: pat,
    client: { authorization: clientBasic },
    'owner-session': { [s.sessionHeader]: aliceSession },
    admin,
  };
  const foreign: Record<Auth, Record<string, string>> = { ...own, PAT: admin, bearer: admin, client: pat, 'owner-session': admin, admin: pat };
  return {
    s,
    known,
    headersFor(op, credentials) {
      if (credentials === 'none') return {};
      const auth = op.auth.find((a) => a !== 'none') ?? 'none';
      const session = op.path.endsWith('/sessions') ? disposableSession : aliceSession;
      if (auth === 'owner-session' && credentials !== 'foreign') return credentials === 'cookie' ? { cookie: `${s.sessionHeader}=${session}` } : { [s.sessionHeader]: session };
      return (credentials === 'own' || credentials === 'cookie' ? own : foreign)[auth];
    },
  };
}
