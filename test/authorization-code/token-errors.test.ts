/** The authorization_code grant's refusals: PKCE, replay, redirect_uri binding, client binding. */
import { opaqueKey } from '@steward/core';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { Browser, CLIENT_CALLBACK, locationParams, pkcePair, RS_CALLBACK } from './browser.ts';

const RS = basic(DEMO.rs.id, DEMO.rs.secret);
const CLIENT = basic(DEMO.client.id, DEMO.client.secret);

for (const dialect of dialects) {
  describe(`authorization_code grant errors (${dialect})`, () => {
    let steward: TestSteward;
    let browser: Browser;
    before(async () => {
      steward = await startTestSteward(dialect);
      browser = new Browser(steward.app);
      // Sign alice in once; every later code comes from the consent page without a password.
      const { hidden } = await browser.authorize({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' });
      const res = await browser.submit(hidden, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
    });
    after(async () => steward?.close());

    async function code(params: Record<string, string>): Promise<string> {
      const { page, hidden } = await browser.authorize({ response_type: 'code', ...params });
      assert.equal(page.status, 200, page.body);
      const res = await browser.submit(hidden, { action: 'allow' });
      assert.equal(res.status, 303, res.body);
      return locationParams(res).get('code')!;
    }

    function redeem(params: Record<string, string | undefined>, auth = RS): Promise<Reply> {
      return postForm(steward.app, DEMO.token, { grant_type: 'authorization_code', ...params }, { authorization: auth });
    }

    function assertInvalidGrant(res: Reply, description: RegExp): void {
      assert.equal(res.status, 400, res.body);
      assert.equal(res.json.error, 'invalid_grant');
      assert.match(res.json.error_description, description);
      assert.equal(res.json.access_token, undefined);
    }

    it('redeems with the right PKCE verifier', async () => {
      const { verifier, challenge } = pkcePair();
      const c = await code({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
      const res = await redeem({ code: c, redirect_uri: CLIENT_CALLBACK, code_verifier: verifier }, CLIENT);
      assert.equal(res.status, 200, res.body);
    });

    it('refuses a wrong PKCE verifier, and the code is spent afterwards', async () => {
      const { verifier, challenge } = pkcePair();
      const c = await code({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
      assertInvalidGrant(await redeem({ code: c, redirect_uri: CLIENT_CALLBACK, code_verifier: pkcePair().verifier }, CLIENT), /PKCE/);
      assertInvalidGrant(await redeem({ code: c, redirect_uri: CLIENT_CALLBACK, code_verifier: verifier }, CLIENT), /already used/);
    });

    it('requires the verifier when a challenge was sent', async () => {
      const { challenge } = pkcePair();
      const c = await code({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
      assertInvalidGrant(await redeem({ code: c, redirect_uri: CLIENT_CALLBACK }, CLIENT), /code_verifier is required/);
    });

    it('refuses a verifier for a code issued without a challenge (downgrade)', async () => {
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      assertInvalidGrant(await redeem({ code: c, redirect_uri: RS_CALLBACK, code_verifier: pkcePair().verifier }), /no code_challenge/);
    });

    it('answers a malformed verifier with invalid_request and leaves the code usable', async () => {
      const { verifier, challenge } = pkcePair();
      const c = await code({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, code_challenge: challenge, code_challenge_method: 'S256' });
      const bad = await redeem({ code: c, redirect_uri: CLIENT_CALLBACK, code_verifier: 'too-short' }, CLIENT);
      assert.equal(bad.status, 400);
      assert.equal(bad.json.error, 'invalid_request');
      assert.equal((await redeem({ code: c, redirect_uri: CLIENT_CALLBACK, code_verifier: verifier }, CLIENT)).status, 200);
    });

    it('refuses a code used twice and revokes the tokens of the first use', async () => {
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      const first = await redeem({ code: c, redirect_uri: RS_CALLBACK });
      assert.equal(first.status, 200, first.body);
      const jti = String(decodeJwt(first.json.access_token).jti);
      assert.equal((await steward.deps.store.tokens.get('demo', jti))?.revoked, false);

      assertInvalidGrant(await redeem({ code: c, redirect_uri: RS_CALLBACK }), /already used/);
      assert.equal((await steward.deps.store.tokens.get('demo', jti))?.revoked, true, 'access token of the first use revoked');
      const refresh = await steward.deps.store.tokens.get('demo', opaqueKey(steward.deps, first.json.refresh_token));
      assert.equal(refresh?.revoked, true, 'refresh token of the first use revoked');
      const introspection = await postForm(steward.app, DEMO.introspect, { token: first.json.access_token }, { authorization: RS });
      assert.equal(introspection.json?.active, false);
    });

    it('lets only one of two concurrent redemptions succeed', async () => {
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      const results = await Promise.all([redeem({ code: c, redirect_uri: RS_CALLBACK }), redeem({ code: c, redirect_uri: RS_CALLBACK })]);
      assert.deepEqual(results.map((r) => r.status).sort(), [200, 400]);
      const winner = results.find((r) => r.status === 200)!;
      assert.equal((await steward.deps.store.tokens.get('demo', String(decodeJwt(winner.json.access_token).jti)))?.revoked, true);
    });

    it('requires the same redirect_uri as the authorization request', async () => {
      const c1 = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      assertInvalidGrant(await redeem({ code: c1, redirect_uri: 'http://127.0.0.1:3000/callback/' }), /redirect_uri/);
      const c2 = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      assertInvalidGrant(await redeem({ code: c2 }), /redirect_uri/);
    });

    it('refuses a code issued to another client', async () => {
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      assertInvalidGrant(await redeem({ code: c, redirect_uri: RS_CALLBACK }, CLIENT), /another client/);
    });

    it('refuses unknown codes, a missing code and repeated parameters', async () => {
      assertInvalidGrant(await redeem({ code: 'not-a-code', redirect_uri: RS_CALLBACK }), /invalid or expired/);
      assertInvalidGrant(await redeem({ code: 'x'.repeat(5000) }), /invalid or expired/);
      const missing = await redeem({ redirect_uri: RS_CALLBACK });
      assert.equal(missing.status, 400);
      assert.equal(missing.json.error, 'invalid_request');
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      const repeated = await postForm(steward.app, DEMO.token, { grant_type: 'authorization_code', code: [c, c], redirect_uri: RS_CALLBACK }, { authorization: RS });
      assert.equal(repeated.status, 400);
      assert.equal(repeated.json.error, 'invalid_request');
    });

    it('refuses a refresh token or an access token presented as a code', async () => {
      const c = await code({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK });
      const ok = await redeem({ code: c, redirect_uri: RS_CALLBACK });
      assertInvalidGrant(await redeem({ code: ok.json.refresh_token, redirect_uri: RS_CALLBACK }), /invalid or expired/);
      assertInvalidGrant(await redeem({ code: ok.json.access_token, redirect_uri: RS_CALLBACK }), /invalid or expired/);
      // The refresh token still works: presenting it as a code did not burn it.
      const refreshed = await postForm(steward.app, DEMO.token, { grant_type: 'refresh_token', refresh_token: ok.json.refresh_token }, { authorization: RS });
      assert.equal(refreshed.status, 200, refreshed.body);
    });
  });
}
