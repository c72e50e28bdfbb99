/**
 * @module test/uma-grant/fixture
 * A small world for the UMA grant tests: PATs minted for owners at photoz-rs, resources and tickets
 * through the Protection API, policies written through the store, ID tokens minted for a client, and
 * the grant itself over HTTP.
 */
import assert from 'node:assert/strict';
import { issueAccessToken, issueIdToken, type PolicyPermission, type TokenRecord, opaqueKey } from '@steward/core';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { addClient, addUser, createRealm } from '../helpers/seed.ts';
import type { TestSteward } from '../helpers/steward.ts';

export const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
export const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';
export const OIDC_ID_TOKEN = 'http://openid.net/specs/openid-connect-core-1_0.html#IDToken';

export interface ClientCreds {
  id: string;
  secret?: string;
}

/** The payload of a JWT, unverified (the tests check what Steward put in it). */
export function payload(jwt: string): any {
  return JSON.parse(Buffer.from(jwt.split('.')[1]!, 'base64url').toString());
}

/** `[resource_id, resource_scopes]` pairs of an RPT, for compact assertions. */
export function rptPermissions(jwt: string): Array<[string, string[]]> {
  return payload(jwt).permissions.map((p: { resource_id: string; resource_scopes: string[] }) => [p.resource_id, p.resource_scopes]);
}

export function assertError(res: Reply, status: number, error: string): void {
  assert.equal(res.status, status, res.body);
  assert.equal(res.json?.error, error, res.body);
  assert.match(String(res.headers['cache-control']), /no-store/);
}

export class UmaWorld {
  readonly s: TestSteward;
  readonly realm: string;
  readonly rs: ClientCreds;

  constructor(s: TestSteward, realm = 'demo', rs: ClientCreds = DEMO.rs) {
    this.s = s;
    this.realm = realm;
    this.rs = rs;
  }

  get tokenUrl(): string {
    return `/realms/${this.realm}/protocol/openid-connect/token`;
  }

  get introspectUrl(): string {
    return `/realms/${this.realm}/protocol/openid-connect/token/introspect`;
  }

  get issuer(): string {
    return this.s.deps.issuer(this.realm);
  }

  async userId(username: string): Promise<string> {
    const user = await this.s.deps.store.users.findByUsername(this.realm, username);
    assert.ok(user, username);
    return user.id;
  }

  /** A fresh PAT of `owner` at the resource server (minted: tests may move the clock). */
  async pat(owner: string): Promise<string> {
    const realm = await this.s.deps.store.realms.get(this.realm);
    const client = await this.s.deps.store.clients.get(this.realm, this.rs.id);
    assert.ok(realm && client);
    const issued = await issueAccessToken(this.s.deps, { realm, client, subject: await this.userId(owner), scope: 'uma_protection', grantId: this.s.deps.random.uuid(), username: owner });
    return issued.token;
  }

  /** Registers a resource of `owner` with these scopes; returns its id. */
  async resource(owner: string, scopes: string[], name = `res-${Math.random().toString(36).slice(2)}`): Promise<string> {
    const res = await request(this.s.app, 'POST', `/realms/${this.realm}/authz/protection/resource_set`, { headers: { authorization: bearer(await this.pat(owner)) }, body: { name, resource_scopes: scopes } });
    assert.equal(res.status, 201, res.body);
    return res.json._id;
  }

  /** A permission ticket of `owner` for these `[resourceId, scopes]`. */
  async ticket(owner: string, permissions: Array<[string, string[]]>): Promise<string> {
    const body = permissions.map(([resource_id, resource_scopes]) => ({ resource_id, resource_scopes }));
    const res = await request(this.s.app, 'POST', `/realms/${this.realm}/authz/protection/permission`, { headers: { authorization: bearer(await this.pat(owner)) }, body });
    assert.equal(res.status, 201, res.body);
    return res.json.ticket;
  }

  /** Sets the owner's policy for the resource (creates or replaces it). */
  async share(owner: string, resourceId: string, permissions: PolicyPermission[]): Promise<void> {
    const now = this.s.deps.clock.now();
    const policy = { realm: this.realm, id: resourceId, owner: await this.userId(owner), rev: this.s.deps.random.uuid(), permissions, createdAt: now, updatedAt: now };
    if (!(await this.s.deps.store.policies.create(policy))) assert.equal(await this.s.deps.store.policies.update(policy, null), 'updated');
  }

  async unshare(owner: string, resourceId: string): Promise<void> {
    assert.ok(await this.s.deps.store.policies.delete(this.realm, await this.userId(owner), resourceId));
  }

  /** An ID token of `username` issued to `clientId` by this realm. */
  async idToken(username: string, clientId: string = DEMO.client.id): Promise<string> {
    const realm = await this.s.deps.store.realms.get(this.realm);
    const client = await this.s.deps.store.clients.get(this.realm, clientId);
    const user = await this.s.deps.store.users.findByUsername(this.realm, username);
    assert.ok(realm && client && user);
    return issueIdToken(this.s.deps, { realm, client, subject: user.id, username, email: user.email });
  }

  /** The UMA grant at the token endpoint, as `client` (Basic auth, or client_id for a public client). */
  grant(params: Record<string, string | string[] | undefined>, client: ClientCreds = DEMO.client): Promise<Reply> {
    if (client.secret === undefined) return postForm(this.s.app, this.tokenUrl, { grant_type: UMA, client_id: client.id, ...params });
    return postForm(this.s.app, this.tokenUrl, { grant_type: UMA, ...params }, { authorization: basic(client.id, client.secret) });
  }

  /** The grant with `username`'s ID token as claim token. */
  async grantAs(username: string, params: Record<string, string | undefined>, client: ClientCreds = DEMO.client): Promise<Reply> {
    return this.grant({ claim_token: await this.idToken(username, client.id), claim_token_format: ID_TOKEN, ...params }, client);
  }

  /** The stored record of a JWT (by jti) or of an opaque token (by hash). */
  async record(token: string): Promise<TokenRecord | null> {
    const id = token.split('.').length === 3 ? payload(token).jti : opaqueKey(this.s.deps, token);
    return this.s.deps.store.tokens.get(this.realm, id);
  }

  async introspect(token: string, owner = 'alice'): Promise<Reply> {
    return postForm(this.s.app, this.introspectUrl, { token }, { authorization: bearer(await this.pat(owner)) });
  }
}

/** The resource server and requesting client of the realm `strict` made by {@link strictRealm}. */
export const STRICT_RS: ClientCreds = { id: 'rs', secret: 'rs-secret' };
export const STRICT_APP: ClientCreds = { id: 'app', secret: 'app-secret' };

/** A realm `strict` that does not record access requests (a refusal is `request_denied`), with alice and bob. */
export async function strictRealm(s: TestSteward): Promise<UmaWorld> {
  await createRealm(s.deps, { id: 'strict', settings: { accessRequests: false } });
  for (const username of ['alice', 'bob']) await addUser(s.deps, 'strict', { username, password: 'pw-0123456789' });
  await addClient(s.deps, 'strict', { clientId: STRICT_RS.id, secret: STRICT_RS.secret, grantTypes: ['client_credentials'] });
  await addClient(s.deps, 'strict', { clientId: STRICT_APP.id, secret: STRICT_APP.secret, grantTypes: [UMA] });
  return new UmaWorld(s, 'strict', STRICT_RS);
}
