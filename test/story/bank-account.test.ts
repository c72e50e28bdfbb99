/**
 * The bank-account story over HTTP, on both stores: Alice's resource server registers "Alice's Bank Account"
 * with scopes view and pay; Bob's client is refused; Alice shares view with Bob; Bob's client gets an
 * RPT for view only; the resource server introspects it; Alice revokes the share.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';

const UMA = 'urn:ietf:params:oauth:grant-type:uma-ticket';
const ID_TOKEN = 'urn:ietf:params:oauth:token-type:id_token';

for (const dialect of dialects) {
  describe(`story: Alice shares her bank account with Bob (${dialect})`, () => {
    let s: TestSteward;
    let pat: string;
    let resourceId: string;
    let bobIdToken: string;
    let sso: string;
    const rsAuth = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
    const clientAuth = { authorization: basic(DEMO.client.id, DEMO.client.secret) };
    const policyUrl = () => `/json/realms/root/realms/demo/users/alice/uma/policies/${resourceId}`;

    async function ticket(scopes: string[]): Promise<string> {
      const res = await request(s.app, 'POST', DEMO.permission, { headers: { authorization: bearer(pat) }, body: { resource_id: resourceId, resource_scopes: scopes } });
      assert.equal(res.status, 201, res.body);
      return res.json.ticket;
    }
    async function grant(t: string) {
      return postForm(s.app, DEMO.token, { grant_type: UMA, ticket: t, claim_token: bobIdToken, claim_token_format: ID_TOKEN }, clientAuth);
    }

    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it("Alice's resource server obtains a PAT and registers the account", async () => {
      const token = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'uma_protection' }, rsAuth);
      assert.equal(token.status, 200, token.body);
      pat = token.json.access_token;
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer(pat) }, body: { name: "Alice's Bank Account", resource_scopes: ['view', 'pay'] } });
      assert.equal(created.status, 201, created.body);
      resourceId = created.json._id;
      assert.ok(resourceId);
      assert.equal(created.headers.location, `${s.issuer}/authz/protection/resource_set/${resourceId}`);
    });

    it("Bob's client is refused before Alice shares", async () => {
      const idt = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'bob', password: DEMO.password, scope: 'openid' }, clientAuth);
      assert.equal(idt.status, 200, idt.body);
      bobIdToken = idt.json.id_token;
      const refused = await grant(await ticket(['view']));
      assert.equal(refused.status, 403);
      assert.equal(refused.json.error, 'request_submitted');
      assert.ok(refused.json.ticket);
      assert.equal(refused.json.access_token, undefined);
    });

    it('Alice signs in and shares view with Bob', async () => {
      const auth = await request(s.app, 'POST', '/json/realms/root/realms/demo/authenticate', { headers: { 'x-openam-username': 'alice', 'x-openam-password': DEMO.password } });
      assert.equal(auth.status, 200, auth.body);
      sso = auth.json.tokenId;
      const put = await request(s.app, 'PUT', policyUrl(), {
        headers: { iPlanetDirectoryPro: sso, 'if-none-match': '*' },
        body: { policyId: resourceId, permissions: [{ subject: 'bob', scopes: ['view'] }] },
      });
      assert.equal(put.status, 201, put.body);
      assert.equal(put.json._id, resourceId);
      const read = await request(s.app, 'GET', policyUrl(), { headers: { iPlanetDirectoryPro: sso } });
      assert.equal(read.status, 200);
      assert.equal(read.json.name, "Alice's Bank Account");
      assert.deepEqual(read.json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
    });

    let rpt: string;
    it("Bob's client gets an RPT for view only, even when it asks for pay too", async () => {
      const res = await grant(await ticket(['view', 'pay']));
      assert.equal(res.status, 200, res.body);
      assert.equal(res.json.token_type, 'Bearer');
      assert.equal(res.json.scope, undefined);
      assert.match(String(res.headers['cache-control']), /no-store/);
      rpt = res.json.access_token;
      const payload = JSON.parse(Buffer.from(rpt.split('.')[1]!, 'base64url').toString());
      assert.deepEqual(payload.permissions, [{ resource_id: resourceId, resource_scopes: ['view'] }]);
    });

    it('the resource server introspects the RPT', async () => {
      const res = await postForm(s.app, DEMO.introspect, { token: rpt }, { authorization: bearer(pat) });
      assert.equal(res.status, 200);
      assert.equal(res.json.active, true);
      assert.equal(res.json.scope, undefined);
      assert.deepEqual(res.json.permissions.map((p: any) => [p.resource_id, p.resource_scopes]), [[resourceId, ['view']]]);
    });

    it('Alice revokes the share and Bob is refused again', async () => {
      const del = await request(s.app, 'DELETE', policyUrl(), { headers: { iPlanetDirectoryPro: sso } });
      assert.equal(del.status, 200);
      assert.deepEqual(del.json, {});
      const res = await grant(await ticket(['view']));
      assert.equal(res.status, 403);
      assert.equal(res.json.error, 'request_submitted');
    });
  });
}
