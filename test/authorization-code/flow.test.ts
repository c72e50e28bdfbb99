/** The authorization code flow end to end, driven like a browser: page, sign-in, consent, code, tokens. */
import { opaqueKey } from '@steward/core';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { decodeJwt } from 'jose';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, TestClock, type TestSteward } from '../helpers/steward.ts';
import { AUTH, Browser, CLIENT_CALLBACK, hiddenFields, locationParams, pkcePair, RS_CALLBACK, setCookies } from './browser.ts';

const PUBLIC_CALLBACK = 'http://127.0.0.1:3005/callback';

/** Signs alice in on a fresh browser and returns the code sent to the redirect URI. */
async function codeFor(browser: Browser, params: Record<string, string>): Promise<string> {
  const { page, hidden } = await browser.authorize(params);
  assert.equal(page.status, 200, page.body);
  const res = await browser.submit(hidden, browser.cookies.has('steward_session_demo') ? { action: 'allow' } : { action: 'allow', username: 'alice', password: DEMO.password });
  assert.equal(res.status, 303, res.body);
  const code = locationParams(res).get('code');
  assert.ok(code, String(res.headers.location));
  return code;
}

function redeem(steward: TestSteward, params: Record<string, string | undefined>, auth = basic(DEMO.rs.id, DEMO.rs.secret)): Promise<Reply> {
  return postForm(steward.app, DEMO.token, { grant_type: 'authorization_code', ...params }, auth ? { authorization: auth } : {});
}

for (const dialect of dialects) {
  describe(`authorization code flow (${dialect})`, () => {
    let steward: TestSteward;
    let aliceId: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      aliceId = (await steward.deps.store.users.findByUsername('demo', 'alice'))!.id;
      await addClient(steward.deps, 'demo', { clientId: 'spa', name: 'Single-page app', grantTypes: ['authorization_code'], redirectUris: [PUBLIC_CALLBACK] });
    });
    after(async () => steward?.close());

    it('signs alice in, redirects with a code, and trades it for tokens', async () => {
      const browser = new Browser(steward.app);
      const { page, hidden } = await browser.authorize({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code', scope: 'openid profile uma_protection', state: 'st-1', nonce: 'n-1' });
      assert.equal(page.status, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(page.body, /Photoz resource server/);
      assert.match(page.body, /\(uma_protection\)/);
      assert.match(page.body, /<input type="password" id="password" name="password"/);
      assert.match(page.body, /<label for="username">Username<\/label>/);
      assert.deepEqual(
        { client_id: hidden.client_id, redirect_uri: hidden.redirect_uri, state: hidden.state, nonce: hidden.nonce, scope: hidden.scope },
        { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, state: 'st-1', nonce: 'n-1', scope: 'openid profile uma_protection' },
      );
      const csrf = setCookies(page).find((c) => c.name === 'steward_csrf_demo');
      assert.ok(csrf && csrf.attributes.httponly === true && csrf.attributes.samesite === 'Strict');
      assert.equal(hidden.csrf, csrf.value);

      const res = await browser.submit(hidden, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
      const location = new URL(String(res.headers.location));
      assert.equal(`${location.origin}${location.pathname}`, RS_CALLBACK);
      assert.equal(location.searchParams.get('state'), 'st-1');
      assert.equal(location.searchParams.get('iss'), steward.issuer);
      const session = setCookies(res).find((c) => c.name === 'steward_session_demo');
      assert.ok(session);
      assert.equal(session.attributes.httponly, true);
      assert.equal(session.attributes.samesite, 'Lax');
      assert.equal(session.attributes.path, '/');
      assert.equal(session.attributes['max-age'], '3600');

      const tokens = await redeem(steward, { code: location.searchParams.get('code')!, redirect_uri: RS_CALLBACK });
      assert.equal(tokens.status, 200, tokens.body);
      assert.equal(tokens.json.token_type, 'Bearer');
      assert.equal(tokens.json.scope, 'openid profile uma_protection');
      assert.equal(typeof tokens.json.expires_in, 'number');
      assert.equal(typeof tokens.json.refresh_token, 'string');
      const access = decodeJwt(tokens.json.access_token);
      assert.equal(access.sub, aliceId);
      assert.equal(access.azp, 'photoz-rs');
      assert.equal(access.iss, steward.issuer);
      const id = decodeJwt(tokens.json.id_token);
      assert.equal(id.sub, aliceId);
      assert.equal(id.nonce, 'n-1');
      assert.equal(id.aud, 'photoz-rs');
      assert.equal(id.preferred_username, 'alice');
      const record = await steward.deps.store.tokens.get('demo', String(access.jti));
      assert.equal(record?.revoked, false);
      assert.equal(record?.subject, aliceId);
      const refresh = await steward.deps.store.tokens.get('demo', opaqueKey(steward.deps, tokens.json.refresh_token));
      assert.equal(refresh?.kind, 'refresh');
      assert.equal(refresh?.grantId, record?.grantId);

      // The PAT obtained this way works on the Protection API.
      const list = await steward.app.inject({ method: 'GET', url: DEMO.resourceSet, headers: { authorization: `Bearer ${tokens.json.access_token}` } });
      assert.equal(list.statusCode, 200, list.body);
    });

    it('shows consent without a password on a second visit with the session cookie', async () => {
      const browser = new Browser(steward.app);
      const first = await codeFor(browser, { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code', scope: 'openid' });
      assert.ok(first);
      const { page, hidden } = await browser.authorize({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, response_type: 'code', scope: 'openid email', nonce: 'again' });
      assert.equal(page.status, 200);
      assert.match(page.body, /Signed in as <strong>alice<\/strong>/);
      assert.doesNotMatch(page.body, /type="password"/);
      const res = await browser.submit(hidden, { action: 'allow' });
      assert.equal(res.status, 303);
      assert.equal(setCookies(res).some((c) => c.name === 'steward_session_demo'), false, 'no new session');
      const tokens = await redeem(steward, { code: locationParams(res).get('code')!, redirect_uri: CLIENT_CALLBACK }, basic(DEMO.client.id, DEMO.client.secret));
      assert.equal(tokens.status, 200, tokens.body);
      assert.equal(decodeJwt(tokens.json.access_token).sub, aliceId);
      assert.equal(decodeJwt(tokens.json.id_token).nonce, 'again');
      assert.equal(decodeJwt(tokens.json.id_token).email, 'alice@example.com');
    });

    it('signs in as whoever types credentials even when a session exists', async () => {
      const browser = new Browser(steward.app);
      await codeFor(browser, { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' });
      const { hidden } = await browser.authorize({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' });
      const res = await browser.submit(hidden, { action: 'allow', username: 'bob', password: DEMO.password });
      assert.equal(res.status, 303);
      const tokens = await redeem(steward, { code: locationParams(res).get('code')!, redirect_uri: RS_CALLBACK });
      const bob = await steward.deps.store.users.findByUsername('demo', 'bob');
      assert.equal(decodeJwt(tokens.json.access_token).sub, bob!.id);
      assert.equal(tokens.json.scope, 'profile email', 'default scope');
      assert.equal(tokens.json.id_token, undefined, 'no id_token without openid');
    });

    it('lets a public client with PKCE omit redirect_uri when it has exactly one', async () => {
      const browser = new Browser(steward.app);
      const { verifier, challenge } = pkcePair();
      const code = await codeFor(browser, { client_id: 'spa', response_type: 'code', scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256' });
      const tokens = await redeem(steward, { code, client_id: 'spa', code_verifier: verifier }, '');
      assert.equal(tokens.status, 200, tokens.body);
      assert.equal(tokens.json.refresh_token, undefined, 'spa has no refresh_token grant');
      assert.equal(decodeJwt(tokens.json.access_token).azp, 'spa');
    });

    it('accepts the authorization request by POST as well as GET', async () => {
      const browser = new Browser(steward.app);
      const page = await browser.post(AUTH, { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code', state: 'p' });
      assert.equal(page.status, 200);
      const res = await browser.submit(hiddenFields(page.body), { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
      assert.equal(locationParams(res).get('state'), 'p');
    });
  });

  describe(`authorization code expiry (${dialect})`, () => {
    const clock = new TestClock();
    let steward: TestSteward;
    before(async () => {
      steward = await startTestSteward(dialect, { clock });
    });
    after(async () => steward?.close());

    it('refuses a code after the realm codeLifetime', async () => {
      const code = await codeFor(new Browser(steward.app), { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' });
      clock.advance(61);
      const res = await redeem(steward, { code, redirect_uri: RS_CALLBACK });
      assert.equal(res.status, 400);
      assert.equal(res.json.error, 'invalid_grant');
    });

    it('redeems a code just before it expires', async () => {
      const code = await codeFor(new Browser(steward.app), { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' });
      clock.advance(59);
      const res = await redeem(steward, { code, redirect_uri: RS_CALLBACK });
      assert.equal(res.status, 200, res.body);
    });
  });
}
