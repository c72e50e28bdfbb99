/**
 * @module bench/steward-scenario
 * Prepares the RPT-issuance scenario over HTTP, as a real deployment would see it: a PAT obtained by
 * the resource server, one registered resource, the owner's policy sharing `view` with the requesting
 * party, the requesting party's ID token (the pushed claim token) and a pool of fresh permission
 * tickets, one per grant to be measured.
 */
import autocannon from 'autocannon';

const FORM = 'application/x-www-form-urlencoded';
const ID_TOKEN_FORMAT = 'urn:ietf:params:oauth:token-type:id_token';
const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';

const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;

async function call(url: string, init: RequestInit, expected: number): Promise<any> {
  const res = await fetch(url, init);
  const text = await res.text();
  if (res.status !== expected) throw new Error(`${init.method ?? 'GET'} ${url} → ${res.status} ${text}`);
  return text ? JSON.parse(text) : {};
}

export async function setupStewardScenario(base: string, wanted: number) {
  const realm = `${base}/realms/bench`;
  const tokenUrl = `${realm}/protocol/openid-connect/token`;
  const rsAuth = basic('rs', 'rs-secret-rs-secret-rs-secret');
  const clientAuth = basic('app', 'app-secret-app-secret-app-secret');
  const newPat = async () => (await call(tokenUrl, { method: 'POST', headers: { authorization: rsAuth, 'content-type': FORM }, body: 'grant_type=password&username=owner&password=owner-password&scope=uma_protection' }, 200)).access_token as string;
  const newIdToken = async () => (await call(tokenUrl, { method: 'POST', headers: { authorization: clientAuth, 'content-type': FORM }, body: 'grant_type=password&username=party&password=party-password&scope=openid' }, 200)).id_token as string;
  let pat = await newPat();
  const resource = await call(`${realm}/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench account', resource_scopes: ['view', 'pay'] }) }, 201);
  const sso = (await call(`${base}/json/realms/root/realms/bench/authenticate`, { method: 'POST', headers: { 'x-openam-username': 'owner', 'x-openam-password': 'owner-password' } }, 200)).tokenId as string;
  await call(`${base}/json/realms/root/realms/bench/users/owner/uma/policies/${resource._id}`, {
    method: 'PUT',
    headers: { iPlanetDirectoryPro: sso, 'content-type': 'application/json', 'if-none-match': '*' },
    body: JSON.stringify({ policyId: resource._id, permissions: [{ subject: 'party', scopes: ['view'] }] }),
  }, 201);
  // A second resource shared with the client itself: the grant without claims (one token record).
  const own = await call(`${realm}/authz/protection/resource_set`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Bench feed', resource_scopes: ['read'] }) }, 201);
  await call(`${base}/json/realms/root/realms/bench/users/owner/uma/policies/${own._id}`, {
    method: 'PUT',
    headers: { iPlanetDirectoryPro: sso, 'content-type': 'application/json', 'if-none-match': '*' },
    body: JSON.stringify({ policyId: own._id, permissions: [{ subject: 'client:app', scopes: ['read'] }] }),
  }, 201);
  let idToken = await newIdToken();

  const permissionBody = JSON.stringify({ resource_id: resource._id, resource_scopes: ['view'] });
  const ownBody = JSON.stringify({ resource_id: own._id, resource_scopes: ['read'] });
  const ticketFor = async (body: string) => (await call(`${realm}/authz/protection/permission`, { method: 'POST', headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' }, body }, 201)).ticket as string;
  const newTicket = () => ticketFor(permissionBody);
  // The pools are filled at the permission endpoint's own speed (autocannon), one ticket per grant to come.
  const fill = async (pool: string[], body: string) => {
    const result = await autocannon({
      url: `${realm}/authz/protection/permission`,
      connections: Math.min(32, wanted),
      amount: wanted,
      method: 'POST',
      headers: { authorization: `Bearer ${pat}`, 'content-type': 'application/json' },
      body,
      requests: [{ method: 'POST', onResponse: (status: number, text: string) => void (status === 201 && pool.push(JSON.parse(text).ticket as string)) }],
    });
    if (pool.length < wanted) throw new Error(`only ${pool.length} of ${wanted} tickets (${result.non2xx} non-2xx, ${result.errors} errors)`);
  };
  const pool: string[] = [];
  const clientPool: string[] = [];
  await fill(pool, permissionBody);
  await fill(clientPool, ownBody);
  const grantBody = (ticket: string) => new URLSearchParams({ grant_type: UMA, ticket, claim_token: idToken, claim_token_format: ID_TOKEN_FORMAT }).toString();
  let next = 0;
  let nextClient = 0;
  return {
    tokenUrl,
    introspectUrl: `${tokenUrl}/introspect`,
    permissionUrl: `${realm}/authz/protection/permission`,
    /** A permission request for the shared resource (each one answered with a new ticket). */
    permissionBody,
    clientAuth,
    get pat() {
      return pat;
    },
    /** A new PAT and ID token (both last the realm's access token lifetime, 5 minutes by default): for runs longer than that. */
    async refresh(): Promise<void> {
      pat = await newPat();
      idToken = await newIdToken();
    },
    tickets: pool.length,
    nextGrantBody: () => grantBody(pool[next++ % pool.length]!),
    /** The user grant's body for a given ticket (the pushed ID token as claim token). */
    grantBody,
    /** The client as requesting party: no claim token, so no refresh token and no PCT. */
    nextClientGrantBody: () => new URLSearchParams({ grant_type: UMA, ticket: clientPool[nextClient++ % clientPool.length]! }).toString(),
    async oneRpt(): Promise<string> {
      const res = await call(tokenUrl, { method: 'POST', headers: { authorization: clientAuth, 'content-type': FORM }, body: grantBody(await newTicket()) }, 200);
      return res.access_token as string;
    },
  };
}
