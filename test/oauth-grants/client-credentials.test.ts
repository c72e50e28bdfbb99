/** client_credentials grant and the token endpoint's client authentication and request checks, on both stores. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertError, assertTokenResponse, jtiOf, RS, verifyJwt } from './fixture.ts';

for (const dialect of dialects) {
  describe(`client_credentials grant (${dialect})`, () => {
    let steward: TestSteward;
    before(async () => {
      steward = await startTestSteward(dialect);
      await addClient(steward.deps, 'demo', { clientId: 'public-cc', grantTypes: ['client_credentials'] });
    });
    after(async () => steward?.close());

    const cc = (params: Record<string, string | string[] | undefined>, headers: Record<string, string> = { authorization: basic(RS.id, RS.secret) }) =>
      postForm(steward.app, DEMO.token, { grant_type: 'client_credentials', ...params }, headers);

    it('issues a PAT for the client itself, scope uma_protection by default, without a refresh token', async () => {
      const body = assertTokenResponse(await cc({}), 'uma_protection');
      assert.equal(body.refresh_token, undefined);
      assert.equal(body.id_token, undefined);
      const claims = await verifyJwt(steward, body.access_token, { sub: RS.id, azp: RS.id, typ: 'Bearer' });
      assert.equal(claims.scope, 'uma_protection');
      assert.equal(claims.exp - claims.iat, body.expires_in);
      const record = await steward.deps.store.tokens.get('demo', claims.jti);
      assert.equal(record?.kind, 'access');
      assert.equal(record?.subject, RS.id);
      assert.equal(record?.clientId, RS.id);
      assert.equal(record?.revoked, false);
    });

    it('grants the requested scopes, without repeats', async () => {
      const body = assertTokenResponse(await cc({ scope: 'profile uma_protection profile' }), 'profile uma_protection');
      assert.equal(body.id_token, undefined);
    });

    it('accepts client_secret_post', async () => {
      const body = assertTokenResponse(await cc({ client_id: RS.id, client_secret: RS.secret }, {}), 'uma_protection');
      await verifyJwt(steward, body.access_token, { sub: RS.id, azp: RS.id, typ: 'Bearer' });
    });

    it('accepts Basic together with the same client_id and client_secret in the body (Keycloak clients send both)', async () => {
      assertTokenResponse(await cc({ client_id: RS.id, client_secret: RS.secret }), 'uma_protection');
    });

    it('refuses body credentials that differ from the Basic ones with 401 invalid_client', async () => {
      assertError(await cc({ client_id: RS.id, client_secret: 'not-the-secret' }), 401, 'invalid_client');
      assertError(await cc({ client_id: DEMO.client.id }), 401, 'invalid_client');
    });

    it('always carries uma_protection (a PAT, as Keycloak clients expect), also when asked only for openid', async () => {
      assertTokenResponse(await cc({ scope: 'openid' }), 'openid uma_protection');
    });

    it('answers 401 invalid_client for a wrong secret, an unknown client or no authentication', async () => {
      const wrong = await cc({}, { authorization: basic(RS.id, 'not-the-secret') });
      assertError(wrong, 401, 'invalid_client');
      assert.match(String(wrong.headers['www-authenticate']), /^Basic realm="demo"/);
      assertError(await cc({ client_id: RS.id, client_secret: 'nope' }, {}), 401, 'invalid_client');
      assertError(await cc({}, { authorization: basic('nobody', 'x') }), 401, 'invalid_client');
      assertError(await cc({}, {}), 401, 'invalid_client');
    });

    it('refuses a client not allowed the grant, and a public client', async () => {
      assertError(await cc({}, { authorization: basic(DEMO.client.id, DEMO.client.secret) }), 400, 'unauthorized_client');
      assertError(await cc({ client_id: 'public-cc' }, {}), 400, 'unauthorized_client');
    });

    it('refuses unknown or empty scopes with invalid_scope', async () => {
      assertError(await cc({ scope: 'uma_protection admin' }), 400, 'invalid_scope');
      assertError(await cc({ scope: 'read' }), 400, 'invalid_scope');
      assertError(await cc({ scope: '   ' }), 400, 'invalid_scope');
    });

    it('refuses repeated parameters, a JSON body, a missing or unknown grant_type, and GET', async () => {
      assertError(await cc({ scope: ['uma_protection', 'profile'] }), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: ['client_credentials', 'client_credentials'] }, { authorization: basic(RS.id, RS.secret) }), 400, 'invalid_request');
      const json = await request(steward.app, 'POST', DEMO.token, { body: { grant_type: 'client_credentials' }, headers: { authorization: basic(RS.id, RS.secret) } });
      assertError(json, 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, {}, { authorization: basic(RS.id, RS.secret) }), 400, 'invalid_request');
      assertError(await postForm(steward.app, DEMO.token, { grant_type: 'implicit' }, { authorization: basic(RS.id, RS.secret) }), 400, 'unsupported_grant_type');
      assertError(await request(steward.app, 'GET', `${DEMO.token}?grant_type=client_credentials`, { headers: { authorization: basic(RS.id, RS.secret) } }), 400, 'invalid_request');
    });

    it('issues a distinct token each time', async () => {
      const a = assertTokenResponse(await cc({}), 'uma_protection');
      const b = assertTokenResponse(await cc({}), 'uma_protection');
      assert.notEqual(jtiOf(a.access_token), jtiOf(b.access_token));
      const ra = await steward.deps.store.tokens.get('demo', jtiOf(a.access_token));
      const rb = await steward.deps.store.tokens.get('demo', jtiOf(b.access_token));
      assert.notEqual(ra?.grantId, rb?.grantId);
    });

    it('answers 404 for an unknown realm', async () => {
      assertError(await postForm(steward.app, '/realms/nope/protocol/openid-connect/token', { grant_type: 'client_credentials' }, { authorization: basic(RS.id, RS.secret) }), 404, 'not_found');
    });
  });
}
