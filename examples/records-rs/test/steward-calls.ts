/**
 * @module records-rs/test/steward-calls
 * What the owner application and Bob's client ask a real, listening Steward in these tests: tokens,
 * the owner's SSO session, the UMA grant.
 */
import assert from 'node:assert/strict';

const PASSWORD = 'Ch4ng31t';
const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

function basic(id: string, secret: string): string {
  return `Basic ${Buffer.from(`${id}:${secret}`).toString('base64')}`;
}

/** POSTs a form to the realm's token endpoint as a client. */
export async function token(issuer: string, client: { id: string; secret: string }, params: Record<string, string>): Promise<{ status: number; json: any }> {
  const res = await fetch(`${issuer}/protocol/openid-connect/token`, {
    method: 'POST',
    headers: { authorization: basic(client.id, client.secret), 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: await res.json() };
}

/** The demo realm's clients. */
export const RS = { id: 'photoz-rs', secret: 'photoz-rs-secret' };
export const CLIENT = { id: 'photoz-client', secret: 'photoz-client-secret' };

/** An owner's access token on the resource server's client with scope `uma_protection` (her PAT). */
export async function ownerToken(issuer: string, user: string): Promise<string> {
  const t = await token(issuer, RS, { grant_type: 'password', username: user, password: PASSWORD, scope: 'uma_protection' });
  assert.equal(t.status, 200, JSON.stringify(t.json));
  return t.json.access_token;
}

/** A requesting party's ID token from the requesting client. */
export async function idToken(issuer: string, user: string): Promise<string> {
  const t = await token(issuer, CLIENT, { grant_type: 'password', username: user, password: PASSWORD, scope: 'openid' });
  assert.equal(t.status, 200, JSON.stringify(t.json));
  return t.json.id_token;
}

/** The owner's SSO session token from `POST /json/realms/root/realms/{realm}/authenticate`. */
export async function ssoToken(baseUrl: string, realm: string, user: string): Promise<string> {
  const res = await fetch(`${baseUrl}/json/realms/root/realms/${realm}/authenticate`, {
    method: 'POST',
    headers: { 'x-openam-username': user, 'x-openam-password': PASSWORD },
  });
  const json: any = await res.json();
  assert.equal(res.status, 200, JSON.stringify(json));
  return json.tokenId;
}

/** The UMA grant: trades a ticket, pushing the requesting party's ID token as claim token. */
export async function umaGrant(issuer: string, ticket: string, claimToken: string): Promise<{ status: number; json: any }> {
  return token(issuer, CLIENT, { grant_type: UMA, ticket, claim_token: claimToken, claim_token_format: ID_TOKEN });
}

/** The ticket of a `WWW-Authenticate: UMA …` challenge (asserting its shape). */
export function challengeTicket(header: unknown, issuer: string): string {
  assert.equal(typeof header, 'string', 'a WWW-Authenticate header');
  assert.match(header as string, /^UMA /);
  assert.ok((header as string).includes(`as_uri="${issuer}"`), header as string);
  const ticket = /ticket="([^"]+)"/.exec(header as string)?.[1];
  assert.ok(ticket, header as string);
  return ticket;
}
