/** OpenID Connect userinfo, on both stores. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueOpaque, issueRpt } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, assertTokenResponse, CLIENT, passwordGrant, RS, userId } from './fixture.ts';

for (const dialect of dialects) {
  describe(`userinfo (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await userId(steward, 'alice');
    });
    after(async () => steward?.close());

    const get = (token: string) => request(steward.app, 'GET', DEMO.userinfo, { headers: { authorization: bearer(token) } });

    it('answers sub, preferred_username and email for a token with openid email, on GET and POST', async () => {
      const { access_token } = assertTokenResponse(await passwordGrant(steward, 'alice', 'openid email'), 'openid email');
      const res = await get(access_token);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { sub: alice, preferred_username: 'alice', email: 'alice@example.com' });
      assert.match(String(res.headers['cache-control']), /no-store/);
      const posted = await request(steward.app, 'POST', DEMO.userinfo, { headers: { authorization: bearer(access_token) } });
      assert.equal(posted.status, 200, posted.body);
      assert.deepEqual(posted.json, res.json);
      const form = await postForm(steward.app, DEMO.userinfo, { foo: 'bar' }, { authorization: bearer(access_token) });
      assert.equal(form.status, 200, form.body);
    });

    it('leaves out email without the email scope', async () => {
      const { access_token } = assertTokenResponse(await passwordGrant(steward, 'bob', 'openid'), 'openid');
      const res = await get(access_token);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, { sub: await userId(steward, 'bob'), preferred_username: 'bob' });
    });

    it('answers 403 insufficient_scope for a token without openid', async () => {
      const { access_token } = assertTokenResponse(await passwordGrant(steward, 'alice'), 'profile email');
      const res = await get(access_token);
      assertError(res, 403, 'insufficient_scope');
      assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope"/);
    });

    it('answers 401 without a token, or with a bad one', async () => {
      const none = await request(steward.app, 'GET', DEMO.userinfo);
      assertError(none, 401, 'invalid_token');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="demo"');
      const bad = await get('not.a.token');
      assertError(bad, 401, 'invalid_token');
      assert.match(String(bad.headers['www-authenticate']), /error="invalid_token"/);
      assertError(await request(steward.app, 'GET', DEMO.userinfo, { headers: { authorization: basic(CLIENT.id, CLIENT.secret) } }), 401, 'invalid_token');
    });

    it("answers 401 for a client's own token, an RPT or a refresh token", async () => {
      const cc = assertTokenResponse(await postForm(steward.app, DEMO.token, { grant_type: 'client_credentials', scope: 'openid' }, { authorization: basic(RS.id, RS.secret) }), 'openid uma_protection');
      const own = await get(cc.access_token);
      assertError(own, 401, 'invalid_token');
      assert.match(String(own.headers['www-authenticate']), /error="invalid_token"/);

      const realm = (await steward.deps.store.realms.get('demo'))!;
      const client = (await steward.deps.store.clients.get('demo', CLIENT.id))!;
      const grantId = steward.deps.random.uuid();
      const rpt = await issueRpt(steward.deps, { realm, client, subject: alice, permissions: [{ resourceId: 'r', scopes: ['view'], owner: alice, resourceServer: RS.id }], grantId });
      assertError(await get(rpt.token), 401, 'invalid_token');
      const refresh = await issueOpaque(steward.deps, { realm: 'demo', kind: 'refresh', clientId: CLIENT.id, subject: alice, grantId, lifetime: 600, data: { scope: 'openid' } });
      assertError(await get(refresh.token), 401, 'invalid_token');
    });

    it('answers 404 for an unknown realm', async () => {
      assertError(await request(steward.app, 'GET', '/realms/nope/protocol/openid-connect/userinfo'), 404, 'not_found');
    });
  });
}
