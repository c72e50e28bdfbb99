/**
 * @module test/keycloak/protection
 * Keycloak's Protection API extras and discovery on Steward: `uma-policy` over the one share model
 * (what it shares the policies API shows, and the other way round), its ownership checks (every id
 * checked against the caller and her resource server, never matched by name across owners), the
 * realm info document and the UMA discovery's `policy_endpoint`.
 */
import assert from 'node:assert/strict';
import { createPublicKey, createVerify } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO } from '../helpers/http.ts';
import { AUTHENTICATE, SESSION_HEADER } from '../owner-policies/fixture.ts';
import { call, enforcerAsk, keycloakWorld, payload, share, userToken, type KeycloakWorld } from './fixture.ts';

for (const dialect of dialects) {
  describe(`Keycloak Protection API extras (${dialect})`, () => {
    let w: KeycloakWorld;
    let policyUrl: string;
    before(async () => {
      w = await keycloakWorld(dialect);
      policyUrl = `${w.s.issuer}/authz/protection/uma-policy`;
    });
    after(async () => w?.close());

    const asAlice = (path: string, init: { method?: string; json?: unknown } = {}) => call(`${policyUrl}${path}`, { ...init, headers: { authorization: `Bearer ${w.alice}` } });

    it('reads the policy a share made, in Keycloak\'s shape, with the resource id as its id', async () => {
      const res = await asAlice(`/${w.album}`);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(
        { id: res.json.id, type: res.json.type, users: res.json.users, groups: res.json.groups, clients: res.json.clients, scopes: res.json.scopes, owner: res.json.owner },
        { id: w.album, type: 'uma', users: ['bob'], groups: [], clients: [], scopes: ['view'], owner: payload(w.alice).sub },
      );
      const list = await asAlice('?max=10');
      assert.deepEqual(list.json.map((p: { id: string }) => p.id).sort(), [w.album, w.photo].sort());
      assert.deepEqual((await asAlice(`?resource=${w.photo}`)).json.map((p: { id: string }) => p.id), [w.photo]);
      assert.deepEqual((await asAlice('?scope=download')).json.map((p: { id: string }) => p.id), [w.photo]);
      assert.deepEqual((await asAlice('?name=Alb')).json.map((p: { id: string }) => p.id), [w.album]);
      assert.deepEqual((await asAlice('?first=1&max=1')).json.length, 1);
    });

    it('one share model: a uma-policy share shows in the policies API, and a policies API share shows in uma-policy', async () => {
      const signIn = await call(`${w.s.baseUrl}${AUTHENTICATE}`, { method: 'POST', headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password, 'content-type': 'application/json' } });
      assert.equal(signIn.status, 200, signIn.body);
      const crest = `${w.s.baseUrl}/json/realms/root/realms/demo/users/alice/uma/policies/${w.album}`;
      const seen = await call(crest, { headers: { [SESSION_HEADER]: signIn.json.tokenId } });
      assert.equal(seen.status, 200, seen.body);
      assert.deepEqual(seen.json.permissions.map((p: { subject: string }) => p.subject), ['bob']);
      // Chris is added through the policies API; uma-policy sees him, and so does the grant.
      const body = { policyId: w.album, permissions: [{ subject: 'bob', scopes: ['view'] }, { subject: 'chris', scopes: ['view'] }] };
      const put = await call(crest, { method: 'PUT', headers: { [SESSION_HEADER]: signIn.json.tokenId, 'if-match': '*' }, json: body });
      assert.equal(put.status, 200, put.body);
      assert.deepEqual((await asAlice(`/${w.album}`)).json.users, ['bob', 'chris']);
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 200);
      // PUT through uma-policy replaces who is granted: Chris goes, at once.
      const replaced = await asAlice(`/${w.album}`, { method: 'PUT', json: { ...(await asAlice(`/${w.album}`)).json, users: ['bob'] } });
      assert.equal(replaced.status, 204, replaced.body);
      assert.equal(replaced.body, '');
      assert.equal((await enforcerAsk(w, w.chris, [`${w.album}#view`])).status, 403);
      assert.deepEqual((await call(crest, { headers: { [SESSION_HEADER]: signIn.json.tokenId } })).json.permissions.map((p: { subject: string }) => p.subject), ['bob']);
    });

    it('POST adds to the resource\'s policy: an existing subject gains scopes, all scopes when none are named', async () => {
      const res = await share(w, w.photo, { users: ['dave'], clients: ['photoz-client'] });
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json.users, ['bob', 'dave']);
      assert.deepEqual(res.json.clients, ['photoz-client']);
      assert.deepEqual(res.json.scopes, ['download', 'view']);
      assert.equal((await asAlice(`/${w.photo}`, { method: 'DELETE' })).status, 204);
      assert.equal((await asAlice(`/${w.photo}`)).status, 404);
      assert.equal((await asAlice(`/${w.photo}`, { method: 'DELETE' })).status, 404);
      assert.equal((await share(w, w.photo, { users: ['bob'], scopes: ['download'] })).status, 200);
    });

    it('ownership: Bob cannot read, change, delete or share Alice\'s policies, even with the right ids', async () => {
      const bob = await userToken(w.s, 'bob', 'openid sharing');
      const asBob = (path: string, init: { method?: string; json?: unknown } = {}) => call(`${policyUrl}${path}`, { ...init, headers: { authorization: `Bearer ${bob}` } });
      assert.equal((await asBob(`/${w.album}`)).status, 404);
      assert.equal((await asBob(`/${w.album}`, { method: 'PUT', json: { users: ['bob'], scopes: ['view', 'edit'] } })).status, 404);
      assert.equal((await asBob(`/${w.album}`, { method: 'DELETE' })).status, 404);
      assert.equal((await asBob(`/${w.album}`, { method: 'POST', json: { users: ['chris'], scopes: ['view'] } })).status, 404);
      assert.deepEqual((await asBob('')).json, []);
      // Nothing changed for Alice.
      assert.deepEqual((await asAlice(`/${w.album}`)).json.users, ['bob']);
    });

    it('needs the owner\'s own token with scope sharing, from the resource server that registered the resource', async () => {
      const pat = await call(`${w.s.baseUrl}${DEMO.token}`, { headers: { authorization: `Basic ${Buffer.from(`${DEMO.rs.id}:${DEMO.rs.secret}`).toString('base64')}` }, form: [['grant_type', 'client_credentials']] });
      const rsOwn = await call(`${policyUrl}/${w.album}`, { headers: { authorization: `Bearer ${pat.json.access_token}` } });
      assert.equal(rsOwn.status, 403);
      assert.equal(rsOwn.json.error, 'insufficient_scope');
      const noSharing = await call(`${policyUrl}/${w.album}`, { headers: { authorization: `Bearer ${await userToken(w.s, 'alice', 'openid')}` } });
      assert.equal(noSharing.status, 403);
      const otherClient = await call(`${w.s.baseUrl}${DEMO.token}`, { headers: { authorization: `Basic ${Buffer.from(`${DEMO.client.id}:${DEMO.client.secret}`).toString('base64')}` }, form: [['grant_type', 'password'], ['username', 'alice'], ['password', DEMO.password], ['scope', 'sharing']] });
      assert.equal(otherClient.status, 200, otherClient.body);
      assert.equal((await call(`${policyUrl}/${w.album}`, { headers: { authorization: `Bearer ${otherClient.json.access_token}` } })).status, 404);
      const none = await call(`${policyUrl}/${w.album}`);
      assert.equal(none.status, 401);
    });

    const bad: Array<[string, unknown, string]> = [
      ['roles', { users: ['bob'], roles: ['admin'] }, 'invalid_request'],
      ['an unknown member', { users: ['bob'], logicX: 1 }, 'invalid_request'],
      ['no subject', { scopes: ['view'] }, 'invalid_request'],
      ['an unknown user', { users: ['nobody-here'] }, 'invalid_request'],
      ['an unknown scope', { users: ['bob'], scopes: ['fly'] }, 'invalid_request'],
      ['users as a string', { users: 'bob' }, 'invalid_request'],
      ['an array body', [{ users: ['bob'] }], 'invalid_request'],
    ];
    for (const [name, body, error] of bad) {
      it(`refuses ${name} with 400 ${error}, changing nothing`, async () => {
        const res = await share(w, w.album, body as Record<string, unknown>);
        assert.equal(res.status, 400, res.body);
        assert.equal(res.json.error, error);
        assert.deepEqual((await asAlice(`/${w.album}`)).json.users, ['bob']);
      });
    }

    it('GET /realms/demo answers Keycloak\'s realm info with the RS256 public key that verifies tokens', async () => {
      const res = await call(`${w.s.issuer}`);
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.realm, 'demo');
      assert.equal(res.json['token-service'], `${w.s.issuer}/protocol/openid-connect`);
      const key = createPublicKey({ key: Buffer.from(res.json.public_key, 'base64'), format: 'der', type: 'spki' });
      const [h, p, sig] = w.bob.split('.');
      assert.equal(createVerify('RSA-SHA256').update(`${h}.${p}`).verify(key, Buffer.from(sig!, 'base64url')), true);
      assert.equal((await call(`${w.s.baseUrl}/realms/nope`)).status, 404);
    });

    it('UMA discovery lists policy_endpoint (Keycloak\'s uma-policy) and introspection_endpoint', async () => {
      const res = await call(`${w.s.issuer}/.well-known/uma2-configuration`);
      assert.equal(res.json.policy_endpoint, policyUrl);
      assert.equal(res.json.introspection_endpoint, `${w.s.issuer}/protocol/openid-connect/token/introspect`);
    });
  });
}
