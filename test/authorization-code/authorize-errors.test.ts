/** The authorization endpoint's refusals: error pages (never a redirect), error redirects, CSRF, escaping, headers. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { AUTH, Browser, CLIENT_CALLBACK, locationParams, pkcePair, RS_CALLBACK, setCookies } from './browser.ts';

const CSP = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";
const QUERY_CALLBACK = 'http://127.0.0.1:3002/cb?tenant=a%20b';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>"Evil" & co';
const rs = { client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, response_type: 'code' };

function assertPageHeaders(res: Reply, csp = CSP): void {
  assert.match(String(res.headers['content-type']), /^text\/html; charset=utf-8/);
  assert.equal(res.headers['cache-control'], 'no-store');
  assert.equal(res.headers['x-frame-options'], 'DENY');
  assert.equal(res.headers['content-security-policy'], csp);
}

function assertErrorPage(res: Reply, status: number, text: RegExp): void {
  assert.equal(res.status, status, res.body);
  assert.equal(res.headers.location, undefined, 'never a redirect');
  assertPageHeaders(res);
  assert.match(res.body, /<!DOCTYPE html>/);
  assert.match(res.body, text);
}

/** Asserts an error redirect to `base` (whose own query is kept) and returns its parameters. */
function assertErrorRedirect(res: Reply, base: string, error: string, issuer: string): URLSearchParams {
  assert.ok(res.status === 302 || res.status === 303, `status ${res.status}: ${res.body}`);
  const location = String(res.headers.location);
  assert.ok(location.startsWith(base.includes('?') ? `${base}&` : `${base}?`), location);
  const params = locationParams(res);
  assert.equal(params.get('error'), error);
  assert.ok(params.get('error_description'));
  assert.equal(params.get('iss'), issuer);
  assert.equal(params.get('code'), null);
  return params;
}

for (const dialect of dialects) {
  describe(`authorization endpoint errors (${dialect})`, () => {
    let steward: TestSteward;
    const get = (params: Record<string, string | string[]>) => {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) q.append(k, item);
      return request(steward.app, 'GET', `${AUTH}?${q}`);
    };
    before(async () => {
      steward = await startTestSteward(dialect);
      await addClient(steward.deps, 'demo', { clientId: 'service', secret: 'service-secret', grantTypes: ['client_credentials'], redirectUris: ['http://127.0.0.1:3003/cb'] });
      await addClient(steward.deps, 'demo', { clientId: 'spa', grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1:3004/cb'] });
      await addClient(steward.deps, 'demo', { clientId: 'tenant', secret: 'tenant-secret', grantTypes: ['authorization_code'], redirectUris: [QUERY_CALLBACK] });
      await addClient(steward.deps, 'demo', { clientId: 'hostile', secret: 'hostile-secret', name: HOSTILE_NAME, grantTypes: ['authorization_code'], redirectUris: ['http://127.0.0.1:3006/cb'] });
    });
    after(async () => steward?.close());

    it('shows a page, not a redirect, for an unknown client or a missing client_id', async () => {
      assertErrorPage(await get({ ...rs, client_id: 'nobody' }), 400, /Unknown client/);
      assertErrorPage(await get({ redirect_uri: RS_CALLBACK, response_type: 'code' }), 400, /client_id is required/);
    });

    it('shows a page, not a redirect, for a redirect_uri that is not registered exactly', async () => {
      for (const uri of ['http://evil.example/callback', 'http://127.0.0.1:3000/callback/', 'http://127.0.0.1:3000/callbackx', 'http://127.0.0.1:3000/callback?x=1', 'HTTP://127.0.0.1:3000/callback']) {
        assertErrorPage(await get({ ...rs, redirect_uri: uri }), 400, /redirect_uri is not registered/);
      }
      assertErrorPage(await get({ client_id: 'photoz-rs', response_type: 'code' }), 400, /redirect_uri is required/);
      assertErrorPage(await get({ ...rs, client_id: ['photoz-rs', 'photoz-client'] }), 400, /client_id is repeated/);
      assertErrorPage(await get({ ...rs, redirect_uri: [RS_CALLBACK, 'http://evil.example/'] }), 400, /redirect_uri is repeated/);
    });

    it('shows an HTML 404 page for an unknown realm', async () => {
      assertErrorPage(await request(steward.app, 'GET', '/realms/nope/protocol/openid-connect/auth?client_id=x'), 404, /Realm not found/);
    });

    it('redirects request errors to the client with state and iss', async () => {
      const issuer = steward.issuer;
      let p = assertErrorRedirect(await get({ ...rs, response_type: 'token', state: 's1' }), RS_CALLBACK, 'unsupported_response_type', issuer);
      assert.equal(p.get('state'), 's1');
      p = assertErrorRedirect(await get({ client_id: 'photoz-rs', redirect_uri: RS_CALLBACK, state: 's2' }), RS_CALLBACK, 'invalid_request', issuer);
      assert.equal(p.get('state'), 's2');
      assertErrorRedirect(await get({ ...rs, scope: 'openid admin' }), RS_CALLBACK, 'invalid_scope', issuer);
      assertErrorRedirect(await get({ ...rs, scope: ['openid', 'email'] }), RS_CALLBACK, 'invalid_request', issuer);
      assertErrorRedirect(await get({ client_id: 'service', response_type: 'code' }), 'http://127.0.0.1:3003/cb', 'unauthorized_client', issuer);
    });

    it('accepts only S256 PKCE and requires it of public clients', async () => {
      const { challenge } = pkcePair();
      const issuer = steward.issuer;
      assertErrorRedirect(await get({ ...rs, code_challenge: challenge, code_challenge_method: 'plain' }), RS_CALLBACK, 'invalid_request', issuer);
      assertErrorRedirect(await get({ ...rs, code_challenge: challenge }), RS_CALLBACK, 'invalid_request', issuer);
      assertErrorRedirect(await get({ ...rs, code_challenge: 'short', code_challenge_method: 'S256' }), RS_CALLBACK, 'invalid_request', issuer);
      assertErrorRedirect(await get({ ...rs, code_challenge_method: 'S256' }), RS_CALLBACK, 'invalid_request', issuer);
      const p = assertErrorRedirect(await get({ client_id: 'spa', response_type: 'code', state: 'pub' }), 'http://127.0.0.1:3004/cb', 'invalid_request', issuer);
      assert.match(p.get('error_description')!, /PKCE/);
      assert.equal((await get({ client_id: 'spa', response_type: 'code', code_challenge: challenge, code_challenge_method: 'S256' })).status, 200);
    });

    it("keeps the redirect URI's own query in error redirects", async () => {
      const res = await get({ client_id: 'tenant', redirect_uri: QUERY_CALLBACK, response_type: 'none', state: 'q' });
      const p = assertErrorRedirect(res, QUERY_CALLBACK, 'unsupported_response_type', steward.issuer);
      assert.equal(p.get('tenant'), 'a b');
      assert.equal(p.get('state'), 'q');
    });

    it('sends the security headers and names the redirect origin in form-action on the consent page', async () => {
      const res = await get({ ...rs, state: 'h' });
      assert.equal(res.status, 200);
      assertPageHeaders(res, CSP.replace("form-action 'self'", "form-action 'self' http://127.0.0.1:3000"));
      assert.equal(res.headers['referrer-policy'], 'no-referrer');
      assert.match(res.body, /<meta name="viewport"/);
    });

    it('escapes a hostile state and client name', async () => {
      const state = '"><script>alert(1)</script>';
      const res = await get({ client_id: 'hostile', response_type: 'code', state });
      assert.equal(res.status, 200);
      assert.doesNotMatch(res.body, /<script>/);
      assert.doesNotMatch(res.body, /<img/);
      assert.match(res.body, /value="&quot;&gt;&lt;script&gt;alert\(1\)&lt;\/script&gt;"/);
      assert.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;&quot;Evil&quot; &amp; co/);
    });

    it('refuses a submission without the CSRF cookie or field with a 403 page', async () => {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ ...rs, state: 'c' });
      const { csrf, ...withoutField } = hidden;
      assert.ok(csrf);
      assertErrorPage(await browser.submit(withoutField, { action: 'allow', username: 'alice', password: DEMO.password }), 403, /security token/);
      assertErrorPage(await browser.submit({ ...hidden, csrf: 'A'.repeat(43) }, { action: 'allow', username: 'alice', password: DEMO.password }), 403, /security token/);
      // The right field without the cookie (a cross-site post) is refused too.
      const cookieless = await postForm(steward.app, AUTH, { ...hidden, action: 'allow', username: 'alice', password: DEMO.password });
      assertErrorPage(cookieless, 403, /security token/);
      assert.equal(setCookies(cookieless).some((c) => c.name === 'steward_session_demo'), false);
    });

    it('shows the page again with 401 on a wrong password, without a session or redirect', async () => {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ ...rs, state: 'w' });
      const res = await browser.submit(hidden, { action: 'allow', username: 'alice', password: 'wrong' });
      assert.equal(res.status, 401);
      assert.equal(res.headers.location, undefined);
      assert.match(res.body, /Invalid username or password/);
      assert.match(res.body, /name="username" value="alice"/);
      assert.match(res.body, /type="password"/);
      assert.equal(setCookies(res).some((c) => c.name === 'steward_session_demo'), false);
      const missing = await browser.submit(hidden, { action: 'allow' });
      assert.equal(missing.status, 401);
      assert.match(missing.body, /Please sign in/);
      // Still usable afterwards with the right password.
      const ok = await browser.submit(hidden, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(ok.status, 303);
    });

    it('redirects with access_denied and the state when the user denies', async () => {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ client_id: 'photoz-client', redirect_uri: CLIENT_CALLBACK, response_type: 'code', state: 'deny-me' });
      const res = await browser.submit(hidden, { action: 'deny' });
      assert.equal(res.status, 303);
      const p = assertErrorRedirect(res, CLIENT_CALLBACK, 'access_denied', steward.issuer);
      assert.equal(p.get('state'), 'deny-me');
      assert.equal(setCookies(res).some((c) => c.name === 'steward_session_demo'), false);
    });

    it('validates the hidden fields again on submission', async () => {
      const browser = new Browser(steward.app);
      const { hidden } = await browser.authorize({ ...rs, state: 't' });
      assertErrorPage(await browser.submit({ ...hidden, redirect_uri: 'http://evil.example/cb' }, { action: 'allow', username: 'alice', password: DEMO.password }), 400, /redirect_uri is not registered/);
      const res = await browser.submit({ ...hidden, scope: 'admin' }, { action: 'allow', username: 'alice', password: DEMO.password });
      assert.equal(res.status, 303);
      assertErrorRedirect(res, RS_CALLBACK, 'invalid_scope', steward.issuer);
      assertErrorPage(await browser.post(AUTH, { ...hidden, action: 'steal' }), 400, /Unknown action/);
    });

    it('answers malformed submissions with an HTML page, never a 500', async () => {
      const json = await request(steward.app, 'POST', AUTH, { body: { client_id: 'photoz-rs' } });
      assertErrorPage(json, 400, /application\/x-www-form-urlencoded/);
      const text = await request(steward.app, 'POST', AUTH, { body: 'x', headers: { 'content-type': 'text/plain' } });
      assert.ok(text.status >= 400 && text.status < 500, String(text.status));
      assert.match(String(text.headers['content-type']), /^text\/html/);
      const repeated = await postForm(steward.app, AUTH, { action: ['allow', 'deny'] });
      assertErrorPage(repeated, 400, /action is repeated/);
    });
  });
}
