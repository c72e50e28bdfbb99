/** Token revocation (RFC 7009): access tokens, refresh tokens (whole grant), RPTs and PCTs, on both stores. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { issueOpaque, issueRpt, opaqueKey } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, assertTokenResponse, CLIENT, jtiOf, passwordGrant, refreshGrant, RS, userId } from './fixture.ts';

for (const dialect of dialects) {
  describe(`revocation (${dialect})`, () => {
    let steward: TestSteward;
    let alice: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      alice = await userId(steward, 'alice');
    });
    after(async () => steward?.close());

    const revoke = (params: Record<string, string | string[] | undefined>, client: { id: string; secret: string } = CLIENT) =>
      postForm(steward.app, DEMO.revoke, params, { authorization: basic(client.id, client.secret) });
    const record = (id: string) => steward.deps.store.tokens.get('demo', id);
    const userinfo = (token: string) => request(steward.app, 'GET', DEMO.userinfo, { headers: { authorization: bearer(token) } });

    function assertRevoked200(res: { status: number; body: string }): void {
      assert.equal(res.status, 200, res.body);
      assert.equal(res.body, '');
    }

    it('revokes an access token: userinfo and the Protection API then answer 401', async () => {
      const user = assertTokenResponse(await passwordGrant(steward, 'alice', 'openid'), 'openid');
      assert.equal((await userinfo(user.access_token)).status, 200);
      const res = await revoke({ token: user.access_token, token_type_hint: 'access_token' });
      assertRevoked200(res);
      assert.match(String(res.headers['cache-control']), /no-store/);
      assertError(await userinfo(user.access_token), 401, 'invalid_token');
      assert.equal((await record(jtiOf(user.access_token)))?.revoked, true);
      assert.equal((await record(opaqueKey(steward.deps, user.refresh_token)))?.revoked, false, 'the refresh token stays');

      const pat = assertTokenResponse(await postForm(steward.app, DEMO.token, { grant_type: 'client_credentials' }, { authorization: basic(RS.id, RS.secret) }), 'uma_protection');
      const list = () => request(steward.app, 'GET', DEMO.resourceSet, { headers: { authorization: bearer(pat.access_token) } });
      assert.equal((await list()).status, 200);
      assertRevoked200(await revoke({ token: pat.access_token }, RS));
      assertError(await list(), 401, 'invalid_token');
    });

    it('revokes a refresh token with its whole grant, whatever the hint', async () => {
      const first = assertTokenResponse(await passwordGrant(steward, 'alice', 'openid'), 'openid');
      const second = assertTokenResponse(await refreshGrant(steward, first.refresh_token), 'openid');
      assertRevoked200(await revoke({ token: second.refresh_token, token_type_hint: 'access_token' }));
      assert.equal((await record(opaqueKey(steward.deps, second.refresh_token)))?.revoked, true);
      assert.equal((await record(jtiOf(second.access_token)))?.revoked, true);
      assert.equal((await record(jtiOf(first.access_token)))?.revoked, true);
      assertError(await refreshGrant(steward, second.refresh_token), 400, 'invalid_grant');
      assertError(await userinfo(second.access_token), 401, 'invalid_token');
    });

    it('revokes an RPT and a PCT', async () => {
      const realm = (await steward.deps.store.realms.get('demo'))!;
      const client = (await steward.deps.store.clients.get('demo', CLIENT.id))!;
      const grantId = steward.deps.random.uuid();
      const rpt = await issueRpt(steward.deps, { realm, client, subject: alice, permissions: [{ resourceId: 'r', scopes: ['view'], owner: alice, resourceServer: RS.id }], grantId });
      const pct = await issueOpaque(steward.deps, { realm: 'demo', kind: 'pct', clientId: CLIENT.id, subject: alice, grantId, lifetime: 600, data: { claims: { sub: alice } } });
      assertRevoked200(await revoke({ token: rpt.token, token_type_hint: 'requesting_party_token' }));
      assert.equal((await record(rpt.jti))?.revoked, true);
      assert.equal((await record(pct.record.id))?.revoked, false, 'only the RPT');
      assertRevoked200(await revoke({ token: pct.token, token_type_hint: 'pct' }));
      assert.equal((await record(pct.record.id))?.revoked, true);
    });

    it('answers 200 for unknown, already revoked and foreign-realm tokens', async () => {
      assertRevoked200(await revoke({ token: 'no-such-token' }));
      assertRevoked200(await revoke({ token: 'eyJhbGciOiJub25lIn0.eyJqdGkiOiJ4In0.c2ln' }));
      const user = assertTokenResponse(await passwordGrant(steward, 'bob'), 'profile email');
      assertRevoked200(await revoke({ token: user.access_token }));
      assertRevoked200(await revoke({ token: user.access_token }));
      assertRevoked200(await revoke({ token: 'x'.repeat(20_000) }));
    });

    it("refuses another client's token with 400 unauthorized_client and revokes nothing", async () => {
      const user = assertTokenResponse(await passwordGrant(steward, 'chris', 'openid'), 'openid');
      assertError(await revoke({ token: user.access_token }, RS), 400, 'unauthorized_client');
      assertError(await revoke({ token: user.refresh_token, token_type_hint: 'refresh_token' }, RS), 400, 'unauthorized_client');
      assert.equal((await record(jtiOf(user.access_token)))?.revoked, false);
      assert.equal((await userinfo(user.access_token)).status, 200);
      assertTokenResponse(await refreshGrant(steward, user.refresh_token), 'openid');
    });

    it('accepts client_secret_post', async () => {
      const user = assertTokenResponse(await passwordGrant(steward, 'dave'), 'profile email');
      assertRevoked200(await postForm(steward.app, DEMO.revoke, { token: user.access_token, client_id: CLIENT.id, client_secret: CLIENT.secret }));
      assert.equal((await record(jtiOf(user.access_token)))?.revoked, true);
    });

    it('refuses an unknown token_type_hint with unsupported_token_type', async () => {
      const user = assertTokenResponse(await passwordGrant(steward, 'dave'), 'profile email');
      assertError(await revoke({ token: user.access_token, token_type_hint: 'id_token' }), 400, 'unsupported_token_type');
      assert.equal((await record(jtiOf(user.access_token)))?.revoked, false);
    });

    it('refuses bad requests', async () => {
      assertError(await revoke({}), 400, 'invalid_request');
      assertError(await revoke({ token: ['a', 'b'] }), 400, 'invalid_request');
      assertError(await revoke({ token: 'a', token_type_hint: ['pct', 'pct'] }), 400, 'invalid_request');
      // Basic with the same credentials in the body is accepted (Keycloak's clients send both); different ones are not.
      assertError(await revoke({ token: 'a', client_id: CLIENT.id, client_secret: 'other' }), 401, 'invalid_client');
      const noAuth = await postForm(steward.app, DEMO.revoke, { token: 'a' });
      assertError(noAuth, 401, 'invalid_client');
      const wrong = await revoke({ token: 'a' }, { id: CLIENT.id, secret: 'wrong' });
      assertError(wrong, 401, 'invalid_client');
      assert.match(String(wrong.headers['www-authenticate']), /^Basic /);
      const json = await request(steward.app, 'POST', DEMO.revoke, { body: { token: 'a' }, headers: { authorization: basic(CLIENT.id, CLIENT.secret) } });
      assertError(json, 400, 'invalid_request');
      assertError(await request(steward.app, 'GET', `${DEMO.revoke}?token=a`, { headers: { authorization: basic(CLIENT.id, CLIENT.secret) } }), 400, 'invalid_request');
      assertError(await postForm(steward.app, '/realms/nope/protocol/openid-connect/revoke', { token: 'a' }), 404, 'not_found');
    });
  });
}
