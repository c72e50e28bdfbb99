/**
 * RP-initiated logout with an ID token hint of the signed-in user: closes the session at once, clears
 * the cookie, redirects only to an exactly registered URI. (Without proof: logout-confirm.test.ts.)
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentSession } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { Browser, hiddenFields, LOGOUT, locationParams, RS_CALLBACK, setCookies } from './browser.ts';

const rs = { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' };

for (const dialect of dialects) {
  describe(`logout (${dialect})`, () => {
    let steward: TestSteward;
    /** An ID token of alice issued to photoz-rs. */
    let aliceHint: string;
    before(async () => {
      steward = await startTestSteward(dialect);
      const tokens = await postForm(steward.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.ok(tokens.json.id_token, tokens.body);
      aliceHint = tokens.json.id_token;
    });
    after(async () => steward?.close());

    /** A browser with alice signed in. */
    async function signedIn(): Promise<Browser> {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize(rs);
      const res = await browser.submit(hidden, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
      assert.ok(browser.cookies.has('steward_session_demo'));
      return browser;
    }

    it('with a valid hint: closes the session and clears the cookie, then shows the signed-out page', async () => {
      const browser = await signedIn();
      const sessionToken = browser.cookies.get('steward_session_demo')!;
      const res = await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: aliceHint })}`);
      assert.equal(res.status, 200);
      assert.match(res.body, /You are signed out/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['cache-control'], 'no-store');
      const cleared = setCookies(res).find((c) => c.name === 'steward_session_demo');
      assert.ok(cleared, 'cookie cleared');
      assert.equal(browser.cookies.has('steward_session_demo'), false);
      assert.equal(await steward.deps.store.sessions.get('demo', steward.deps.digest.sha256(sessionToken), steward.deps.clock.now()), null);
      // Replaying the old cookie does not sign anyone in.
      const page = await request(steward.app, 'GET', `/realms/demo/protocol/openid-connect/auth?${new URLSearchParams(rs)}`, { headers: { cookie: `steward_session_demo=${sessionToken}` } });
      assert.match(page.body, /type="password"/);
    });

    it('with a valid hint: redirects to post_logout_redirect_uri when registered for the client, with state', async () => {
      const browser = await signedIn();
      const res = await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: aliceHint, client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK, state: 'bye' })}`);
      assert.equal(res.status, 302);
      assert.ok(String(res.headers.location).startsWith(`${RS_CALLBACK}?`));
      assert.equal(locationParams(res).get('state'), 'bye');
      assert.equal(browser.cookies.has('steward_session_demo'), false);
      const again = await signedIn();
      const sessionToken = again.cookies.get('steward_session_demo')!;
      const post = await again.post(LOGOUT, { id_token_hint: aliceHint, client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK });
      assert.equal(post.status, 303);
      assert.equal(post.headers.location, RS_CALLBACK);
      assert.equal(await currentSession(steward.deps, DEMO.realm, sessionToken), null);
    });

    it('finds the client from id_token_hint', async () => {
      const res = await request(steward.app, 'GET', `${LOGOUT}?${new URLSearchParams({ id_token_hint: aliceHint, post_logout_redirect_uri: RS_CALLBACK })}`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, RS_CALLBACK);
      const mismatch = await request(steward.app, 'GET', `${LOGOUT}?${new URLSearchParams({ id_token_hint: aliceHint, client_id: 'photoz-client', post_logout_redirect_uri: 'http://127.0.0.1:3001/callback' })}`);
      assert.equal(mismatch.status, 200);
      assert.equal(mismatch.headers.location, undefined);
      assert.match(mismatch.body, /You are signed out/);
    });

    it('with a valid hint: redirects only to an exactly registered URI of the named client', async () => {
      const near = [
        'http://evil.example/',
        `${RS_CALLBACK}/`,
        `${RS_CALLBACK}?next=http://evil.example/`,
        `${RS_CALLBACK}#x`,
        'HTTP://127.0.0.1:3000/callback',
        'http://127.0.0.1:3000/callbacks',
        'http://127.0.0.1:3000/Callback',
        'http://127.0.0.1:3001/callback', // photoz-client's, not photoz-rs's
        ` ${RS_CALLBACK}`,
      ];
      const cases: Array<Record<string, string>> = [
        ...near.map((uri) => ({ id_token_hint: aliceHint, client_id: 'photoz-rs', post_logout_redirect_uri: uri })),
        ...near.map((uri) => ({ id_token_hint: aliceHint, post_logout_redirect_uri: uri })),
        { id_token_hint: aliceHint, client_id: 'nobody', post_logout_redirect_uri: RS_CALLBACK },
      ];
      for (const params of cases) {
        const res = await request(steward.app, 'GET', `${LOGOUT}?${new URLSearchParams(params)}`);
        assert.equal(res.status, 200, JSON.stringify(params));
        assert.equal(res.headers.location, undefined);
        assert.match(res.body, /You are signed out/);
      }
    });

    it('without proof never redirects, even to a registered URI, and shows only validated ways back', async () => {
      const cases: Array<{ params: Record<string, string>; back: boolean }> = [
        { params: { client_id: 'photoz-rs', post_logout_redirect_uri: 'http://evil.example/' }, back: false },
        { params: { client_id: 'photoz-client', post_logout_redirect_uri: RS_CALLBACK }, back: false },
        { params: { client_id: 'nobody', post_logout_redirect_uri: RS_CALLBACK }, back: false },
        { params: { post_logout_redirect_uri: RS_CALLBACK }, back: false },
        { params: { id_token_hint: 'not.a.jwt', post_logout_redirect_uri: RS_CALLBACK }, back: false },
        { params: { client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK }, back: true },
      ];
      for (const { params, back } of cases) {
        const res = await request(steward.app, 'GET', `${LOGOUT}?${new URLSearchParams(params)}`);
        assert.equal(res.status, 200, JSON.stringify(params));
        assert.equal(res.headers.location, undefined);
        assert.match(res.body, /Sign out of Steward demo\?/);
        const hidden = hiddenFields(res.body);
        assert.equal(hidden.post_logout_redirect_uri, back ? RS_CALLBACK : undefined, JSON.stringify(params));
        assert.equal(hidden.client_id, back ? 'photoz-rs' : undefined);
      }
    });

    it('answers repeated parameters and unknown realms with HTML pages, and a bare POST with a 403 page', async () => {
      const repeated = await request(steward.app, 'GET', `${LOGOUT}?state=a&state=b`);
      assert.equal(repeated.status, 400);
      assert.match(String(repeated.headers['content-type']), /^text\/html/);
      const unknown = await request(steward.app, 'POST', '/realms/nope/protocol/openid-connect/logout');
      assert.equal(unknown.status, 404);
      assert.match(String(unknown.headers['content-type']), /^text\/html/);
      const empty = await request(steward.app, 'POST', LOGOUT);
      assert.equal(empty.status, 403);
      assert.match(String(empty.headers['content-type']), /^text\/html/);
      const csrfTwice = await postForm(steward.app, LOGOUT, { csrf: ['a', 'b'] });
      assert.equal(csrfTwice.status, 400);
    });
  });
}
