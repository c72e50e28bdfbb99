/** Resource owner password credentials grant, on both stores. */
import { opaqueKey } from '@steward/core';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, assertTokenResponse, CLIENT, jtiOf, passwordGrant, RS, userId, verifyJwt } from './fixture.ts';

for (const dialect of dialects) {
  describe(`password grant (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await userId(steward, 'alice');
      await addClient(steward.deps, 'demo', { clientId: 'no-refresh', secret: 'no-refresh-secret', grantTypes: ['password'] });
    });
    after(async () => steward?.close());

    it('issues a user token with scope "profile email" by default, and a refresh token of the same grant', async () => {
      const body = assertTokenResponse(await passwordGrant(steward, 'alice'), 'profile email');
      assert.equal(typeof body.refresh_token, 'string');
      assert.ok(body.refresh_token.length >= 43);
      assert.equal(body.id_token, undefined);
      const claims = await verifyJwt(steward, body.access_token, { sub: alice, azp: CLIENT.id, typ: 'Bearer' });
      assert.equal(claims.preferred_username, 'alice');
      assert.equal(claims.scope, 'profile email');
      const access = await steward.deps.store.tokens.get('demo', claims.jti);
      const refresh = await steward.deps.store.tokens.get('demo', opaqueKey(steward.deps, body.refresh_token));
      assert.equal(access?.kind, 'access');
      assert.equal(refresh?.kind, 'refresh');
      assert.equal(refresh?.grantId, access?.grantId);
      assert.equal(refresh?.subject, alice);
      assert.equal(refresh?.data.scope, 'profile email');
      const realm = await steward.deps.store.realms.get('demo');
      assert.equal(refresh!.expiresAt - refresh!.createdAt, realm!.settings.refreshTokenLifetime);
    });

    it('adds an ID token with openid', async () => {
      const body = assertTokenResponse(await passwordGrant(steward, 'bob', 'openid email'), 'openid email');
      const bob = await userId(steward, 'bob');
      const id = await verifyJwt(steward, body.id_token, { sub: bob, azp: CLIENT.id, typ: 'ID' });
      assert.equal(id.preferred_username, 'bob');
      assert.equal(id.email, 'bob@example.com');
      assert.ok(Number.isInteger(id.auth_time));
      assert.notEqual(id.jti, jtiOf(body.access_token));
      assert.equal(await steward.deps.store.tokens.get('demo', id.jti), null, 'ID tokens are not recorded');
    });

    it('gives a resource server a PAT for Alice that the Protection API accepts', async () => {
      const body = assertTokenResponse(await passwordGrant(steward, 'alice', 'uma_protection', RS), 'uma_protection');
      await verifyJwt(steward, body.access_token, { sub: alice, azp: RS.id, typ: 'Bearer' });
      const list = await request(steward.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(body.access_token) } });
      assert.equal(list.status, 200, list.body);
      assert.deepEqual(list.json, []);
    });

    it('accepts client_secret_post', async () => {
      const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'chris', password: DEMO.password, client_id: CLIENT.id, client_secret: CLIENT.secret });
      assertTokenResponse(res, 'profile email');
    });

    it('answers invalid_grant for a wrong password or an unknown user, alike', async () => {
      const wrong = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: 'wrong' }, { authorization: basic(CLIENT.id, CLIENT.secret) });
      assertError(wrong, 400, 'invalid_grant');
      const unknown = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'mallory', password: DEMO.password }, { authorization: basic(CLIENT.id, CLIENT.secret) });
      assertError(unknown, 400, 'invalid_grant');
      assert.equal(wrong.json.error_description, 'Invalid user credentials');
      assert.equal(unknown.json.error_description, wrong.json.error_description);
      const caseChanged = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'Alice', password: DEMO.password }, { authorization: basic(CLIENT.id, CLIENT.secret) });
      assertError(caseChanged, 400, 'invalid_grant');
    });

    it('requires username and password', async () => {
      const auth = { authorization: basic(CLIENT.id, CLIENT.secret) };
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'password', password: DEMO.password }, auth), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice' }, auth), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: '' }, auth), 400, 'invalid_request');
    });

    it('refuses repeated username or password', async () => {
      const auth = { authorization: basic(CLIENT.id, CLIENT.secret) };
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'password', username: ['alice', 'bob'], password: DEMO.password }, auth), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: [DEMO.password, 'x'] }, auth), 400, 'invalid_request');
    });

    it('refuses an unknown scope before checking the password', async () => {
      assertError(await passwordGrant(steward, 'alice', 'openid offline_access'), 400, 'invalid_scope');
    });

    it('refuses wrong client credentials with 401', async () => {
      assertError(await passwordGrant(steward, 'alice', undefined, { id: CLIENT.id, secret: 'nope' }), 401, 'invalid_client');
    });

    it('issues no refresh token to a client that may not refresh', async () => {
      const body = assertTokenResponse(await passwordGrant(steward, 'dave', undefined, { id: 'no-refresh', secret: 'no-refresh-secret' }), 'profile email');
      assert.equal(body.refresh_token, undefined);
    });
  });
}
