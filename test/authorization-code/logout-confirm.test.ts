/**
 * Logout without proof (no ID token hint of the signed-in user): a confirmation page that keeps the
 * session, whose form signs out only when posted back with its CSRF token (double-submit cookie).
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { currentSession } from '@steward/core';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO, postForm, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { Browser, hiddenFields, LOGOUT, RS_CALLBACK, setCookies } from './browser.ts';

const rs = { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' };
const CSRF_COOKIE = 'steward_logout_csrf_demo';

for (const dialect of dialects) {
  describe(`logout confirmation (${dialect})`, () => {
    let steward: TestSteward;
    before(async () => {
      steward = await startTestSteward(dialect);
    });
    after(async () => steward?.close());

    async function tokensOf(username: string): Promise<Record<string, any>> {
      const res = await postForm(steward.app, DEMO.token, { grant_type: 'password', username, password: DEMO.password, scope: 'openid' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json;
    }

    /** A browser with alice signed in, and her session token. */
    async function signedIn(): Promise<{ browser: Browser; session: string }> {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize(rs);
      const res = await browser.submit(hidden, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
      const session = browser.cookies.get('steward_session_demo');
      assert.ok(session);
      // The consent page's CSRF cookie is for the authorization endpoint only; drop it so nothing below leans on it.
      browser.cookies.delete('steward_csrf_demo');
      return { browser, session };
    }

    const stillSignedIn = async (session: string) => assert.ok(await currentSession(steward.deps, DEMO.realm, session), 'the session was closed');
    const signedOut = async (session: string) => assert.equal(await currentSession(steward.deps, DEMO.realm, session), null, 'the session is still open');

    function assertConfirmation(res: Reply): Record<string, string> {
      assert.equal(res.status, 200, res.body.slice(0, 300));
      assert.equal(res.headers.location, undefined);
      assert.match(res.body, /<h1>Sign out of Steward demo\?<\/h1>/);
      assert.match(res.body, /<form method="post" action="logout">/);
      assert.match(res.body, /<button type="submit" class="primary">Sign out<\/button>/);
      assert.match(res.body, /Cancel/);
      assert.doesNotMatch(res.body, /You are signed out/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.equal(res.headers['cache-control'], 'no-store');
      assert.equal(res.headers['x-content-type-options'], 'nosniff');
      assert.match(String(res.headers['content-security-policy']), /frame-ancestors 'none'/);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.equal(setCookies(res).find((c) => c.name === 'steward_session_demo'), undefined, 'the session cookie is left alone');
      return hiddenFields(res.body);
    }

    it('shows a confirmation page for a bare GET and keeps the session', async () => {
      const { browser, session } = await signedIn();
      const res = await browser.get(LOGOUT);
      const hidden = assertConfirmation(res);
      assert.match(res.body, /Signed in as <strong>alice<\/strong>/);
      const cookie = setCookies(res).find((c) => c.name === CSRF_COOKIE);
      assert.ok(cookie, 'the CSRF cookie is set');
      assert.equal(cookie.attributes.httponly, true);
      assert.equal(String(cookie.attributes.samesite).toLowerCase(), 'strict');
      assert.equal(cookie.attributes.path, LOGOUT);
      assert.match(cookie.value, /^[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(hidden, { csrf: cookie.value });
      assert.ok(browser.cookies.has('steward_session_demo'));
      await stillSignedIn(session);
      // Seeing the page again reuses the browser's token.
      const again = await browser.get(LOGOUT);
      assert.equal(hiddenFields(again.body).csrf, cookie.value);
      assert.equal(setCookies(again).find((c) => c.name === CSRF_COOKIE), undefined);
      await stillSignedIn(session);
    });

    it('signs out when the page is posted back with its CSRF token', async () => {
      const { browser, session } = await signedIn();
      const hidden = assertConfirmation(await browser.get(LOGOUT));
      const res = await browser.post(LOGOUT, hidden);
      assert.equal(res.status, 200, res.body);
      assert.match(res.body, /You are signed out/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
      assert.ok(setCookies(res).find((c) => c.name === 'steward_session_demo'), 'session cookie cleared');
      assert.equal(browser.cookies.has('steward_session_demo'), false);
      await signedOut(session);
    });

    it('carries a validated way back through the form, escaped, and follows it after confirmation', async () => {
      const { browser, session } = await signedIn();
      const state = '"><script>alert(1)</script>&';
      const res = await browser.get(`${LOGOUT}?${new URLSearchParams({ client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK, state })}`);
      const hidden = assertConfirmation(res);
      assert.doesNotMatch(res.body, /<script>/);
      assert.deepEqual({ ...hidden, csrf: 'x' }, { client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK, state, csrf: 'x' });
      // Chromium checks form-action on the redirect after the form: the client's origin is allowed.
      assert.match(String(res.headers['content-security-policy']), /form-action 'self' http:\/\/127\.0\.0\.1:3000;/);
      await stillSignedIn(session);

      // A form tampered with to lead elsewhere is validated again: signed out, but not redirected.
      const tampered = await browser.post(LOGOUT, { ...hidden, post_logout_redirect_uri: 'http://evil.example/' });
      assert.equal(tampered.status, 200);
      assert.equal(tampered.headers.location, undefined);
      await signedOut(session);

      const second = await signedIn();
      const form = assertConfirmation(await second.browser.get(`${LOGOUT}?${new URLSearchParams({ client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK, state })}`));
      const back = await second.browser.post(LOGOUT, form);
      assert.equal(back.status, 303);
      const location = new URL(String(back.headers.location));
      assert.equal(`${location.origin}${location.pathname}`, RS_CALLBACK);
      assert.equal(location.searchParams.get('state'), state);
      await signedOut(second.session);
    });

    it('refuses a POST without the CSRF token, or with a wrong one, with a 403 page and keeps the session', async () => {
      const { browser, session } = await signedIn();
      const { csrf } = assertConfirmation(await browser.get(LOGOUT));
      assert.ok(csrf);
      const sessionOnly = { cookie: `steward_session_demo=${session}` };
      const attempts: Array<[string, () => Promise<Reply>]> = [
        ['no token, no cookie', () => postForm(steward.app, LOGOUT, {}, sessionOnly)],
        ['the token without its cookie (cross-site: SameSite=Strict)', () => postForm(steward.app, LOGOUT, { csrf }, sessionOnly)],
        ['the cookie without the token', () => browser.post(LOGOUT, {})],
        ['a wrong token', () => browser.post(LOGOUT, { csrf: 'A'.repeat(43) })],
        ['an empty token', () => browser.post(LOGOUT, { csrf: '' })],
        ['a registered way back but no token', () => browser.post(LOGOUT, { client_id: 'photoz-rs', post_logout_redirect_uri: RS_CALLBACK })],
      ];
      for (const [name, attempt] of attempts) {
        const res = await attempt();
        assert.equal(res.status, 403, name);
        assert.equal(res.headers.location, undefined, name);
        assert.match(String(res.headers['content-type']), /^text\/html/, name);
        assert.match(res.body, /Request refused/, name);
        assert.equal(res.headers['x-frame-options'], 'DENY', name);
        assert.equal(setCookies(res).find((c) => c.name === 'steward_session_demo'), undefined, name);
        await stillSignedIn(session);
      }
      // A GET cannot confirm, even with the right token.
      assertConfirmation(await browser.get(`${LOGOUT}?${new URLSearchParams({ csrf })}`));
      await stillSignedIn(session);
    });

    it('asks for confirmation when the hint is for another user, not an ID token, or not valid', async () => {
      const { browser, session } = await signedIn();
      const bob = await tokensOf('bob');
      const alice = await tokensOf('alice');
      const hints: Array<[string, string]> = [
        ['an ID token of bob', bob.id_token],
        ['an access token of alice', alice.access_token],
        ['a tampered ID token of alice', `${alice.id_token.slice(0, -4)}AAAA`],
        ['garbage', 'not.a.jwt'],
      ];
      for (const [name, hint] of hints) {
        const res = await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: hint, post_logout_redirect_uri: RS_CALLBACK })}`);
        assertConfirmation(res);
        await stillSignedIn(session);
        const posted = await browser.post(LOGOUT, { id_token_hint: hint, post_logout_redirect_uri: RS_CALLBACK });
        assert.equal(posted.status, 403, name);
        await stillSignedIn(session);
      }
      // bob's genuine ID token still names the client, so the confirmed logout may go back to it.
      const hidden = assertConfirmation(await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: bob.id_token, post_logout_redirect_uri: RS_CALLBACK })}`));
      assert.equal(hidden.client_id, 'photoz-rs');
      const confirmed = await browser.post(LOGOUT, hidden);
      assert.equal(confirmed.status, 303);
      await signedOut(session);
    });

    it('accepts an expired ID token of the signed-in user as proof', async () => {
      const { browser, session } = await signedIn();
      const alice = await steward.deps.store.users.findByUsername(DEMO.realm, 'alice');
      assert.ok(alice);
      const now = steward.deps.clock.now();
      const claims = { iss: steward.deps.issuer(DEMO.realm), sub: alice.id, aud: 'photoz-rs', azp: 'photoz-rs', typ: 'ID', iat: now - 7200, exp: now - 3600, jti: 'expired' };
      const expired = await steward.deps.signer.sign(DEMO.realm, 'RS256', claims, 'ID');
      const asBearer = await steward.deps.signer.sign(DEMO.realm, 'RS256', { ...claims, typ: 'Bearer' }, 'Bearer');
      assertConfirmation(await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: asBearer })}`));
      await stillSignedIn(session);
      const res = await browser.get(`${LOGOUT}?${new URLSearchParams({ id_token_hint: expired, post_logout_redirect_uri: RS_CALLBACK, state: 's' })}`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, `${RS_CALLBACK}?state=s`);
      await signedOut(session);
    });
  });
}
