/**
 * @module test/bad-input/authorize
 * The browser endpoints (authorization endpoint with its sign-in and consent form, RP-initiated logout)
 * under bad input. They answer errors as HTML pages (never a redirect to an unvalidated URI) or, once
 * the redirect URI is validated, as an error redirect — never a 500 and never internal detail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertErrorPage, assertNoLeak, assertOAuth, createElsewhere, ELSEWHERE, FORM, forgeries, formBody, JSON_TYPE, LONG, OVERSIZE, passwordTokens, raw, type Method } from './fixture.ts';

const AUTH = '/realms/demo/protocol/openid-connect/auth';
const LOGOUT = '/realms/demo/protocol/openid-connect/logout';
const CALLBACK = 'http://127.0.0.1:3001/callback';
const CSRF_COOKIE = 'steward_csrf_demo';
const GOOD: Array<[string, string]> = [['client_id', DEMO.client.id], ['redirect_uri', CALLBACK], ['response_type', 'code'], ['scope', 'openid'], ['state', 's1']];

/** Asserts an error redirect to the client's validated redirect URI; returns its parameters. */
function assertErrorRedirect(res: Reply, error: string): URLSearchParams {
  assert.ok(res.status === 302 || res.status === 303, `expected a redirect, got ${res.status}: ${res.body.slice(0, 200)}`);
  const location = new URL(String(res.headers.location));
  assert.equal(`${location.origin}${location.pathname}`, CALLBACK);
  assert.equal(location.searchParams.get('error'), error);
  assert.equal(location.searchParams.get('code'), null);
  assertNoLeak({ ...res, body: location.search });
  return location.searchParams;
}

for (const dialect of dialects) {
  describe(`bad input: authorization endpoint and logout (${dialect})`, () => {
    let s: TestSteward;
    let idToken: string;
    let elsewhereIdToken: string;
    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      idToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client)).id_token;
      elsewhereIdToken = (await passwordTokens(s, 'alice', 'openid', DEMO.client, ELSEWHERE)).id_token;
    });
    after(async () => s?.close());

    const get = (url: string, pairs: Array<[string, string]>) => raw(s.app, 'GET', `${url}?${formBody(pairs)}`);
    const post = (url: string, payload: string | undefined, headers: Record<string, string> = FORM, method: Method = 'POST') => raw(s.app, method, url, { headers, ...(payload !== undefined ? { payload } : {}) });
    const without = (name: string) => GOOD.filter(([k]) => k !== name);

    /** A CSRF token and its cookie from a real GET of the consent page. */
    async function csrf(): Promise<{ token: string; cookie: string }> {
      const page = await get(AUTH, GOOD);
      assert.equal(page.status, 200, page.body);
      const cookies = page.headers['set-cookie'];
      const line = (Array.isArray(cookies) ? cookies : [String(cookies)]).find((c) => c.startsWith(`${CSRF_COOKIE}=`));
      assert.ok(line, 'csrf cookie');
      const token = decodeURIComponent(line.split(';')[0]!.slice(CSRF_COOKIE.length + 1));
      return { token, cookie: `${CSRF_COOKIE}=${token}` };
    }

    const pages: Array<[string, () => Promise<Reply>, number]> = [
      ['no parameters', () => raw(s.app, 'GET', AUTH), 400],
      ['client_id twice', () => get(AUTH, [...GOOD, ['client_id', DEMO.rs.id]]), 400],
      ['an unknown client', () => get(AUTH, [['client_id', 'nobody'], ...without('client_id')]), 400],
      ['a client_id of 10 kB', () => get(AUTH, [['client_id', LONG], ...without('client_id')]), 400],
      ['a client_id with NUL', () => get(AUTH, [['client_id', 'photoz-client\u0000'], ...without('client_id')]), 400],
      ['a client_id with unicode', () => get(AUTH, [['client_id', 'phötoz-client'], ...without('client_id')]), 400],
      ['an unregistered redirect_uri', () => get(AUTH, [...without('redirect_uri'), ['redirect_uri', 'https://evil.example/cb']]), 400],
      ['redirect_uri twice', () => get(AUTH, [...GOOD, ['redirect_uri', CALLBACK]]), 400],
      ['a redirect_uri with dot segments', () => get(AUTH, [...without('redirect_uri'), ['redirect_uri', `${CALLBACK}/../../evil`]]), 400],
      ['a redirect_uri with NUL', () => get(AUTH, [...without('redirect_uri'), ['redirect_uri', `${CALLBACK}\u0000`]]), 400],
      ['a redirect_uri of 10 kB', () => get(AUTH, [...without('redirect_uri'), ['redirect_uri', `${CALLBACK}?${LONG}`]]), 400],
      ['an unknown realm', () => get('/realms/nope/protocol/openid-connect/auth', GOOD), 404],
      ['a realm with NUL', () => get('/realms/demo%00/protocol/openid-connect/auth', GOOD), 404],
      ['POST with a JSON body', () => post(AUTH, JSON.stringify(Object.fromEntries(GOOD)), JSON_TYPE), 400],
      ['POST with malformed JSON', () => post(AUTH, '{"client_id": ', JSON_TYPE), 400],
      ['POST with the form as text/plain', () => post(AUTH, formBody(GOOD), { 'content-type': 'text/plain' }), 400],
      ['POST with the form and no content type', () => post(AUTH, formBody(GOOD), {}), 400],
      ['POST with multipart/form-data', () => post(AUTH, '--b\r\nContent-Disposition: form-data; name="client_id"\r\n\r\nphotoz-client\r\n--b--\r\n', { 'content-type': 'multipart/form-data; boundary=b' }), 400],
      ['POST over the body limit', () => post(AUTH, `${formBody(GOOD)}&pad=${'p'.repeat(OVERSIZE)}`), 413],
      ['POST with action=allow and no CSRF token', () => post(AUTH, formBody([...GOOD, ['action', 'allow'], ['username', 'alice'], ['password', DEMO.password]])), 403],
      ['POST with a CSRF field but no cookie', () => post(AUTH, formBody([...GOOD, ['action', 'allow'], ['csrf', 'a'.repeat(43)]])), 403],
      ['POST with action twice', () => post(AUTH, formBody([...GOOD, ['action', 'allow'], ['action', 'deny']])), 400],
    ];
    for (const [name, send, status] of pages) {
      it(`${name}: ${status} error page`, async () => assertErrorPage(await send(), status));
    }

    const redirects: Array<[string, Array<[string, string]>, string]> = [
      ['response_type twice', [...GOOD, ['response_type', 'code']], 'invalid_request'],
      ['response_type token', [...without('response_type'), ['response_type', 'token']], 'unsupported_response_type'],
      ['response_type of 10 kB', [...without('response_type'), ['response_type', LONG]], 'unsupported_response_type'],
      ['an unknown scope', [...without('scope'), ['scope', 'openid admin']], 'invalid_scope'],
      ['a scope with NUL', [...without('scope'), ['scope', 'openid\u0000']], 'invalid_scope'],
      ['code_challenge_method plain', [...GOOD, ['code_challenge', 'a'.repeat(43)], ['code_challenge_method', 'plain']], 'invalid_request'],
      ['a malformed code_challenge', [...GOOD, ['code_challenge', '../..'], ['code_challenge_method', 'S256']], 'invalid_request'],
      ['a nonce of 10 kB', [...GOOD, ['nonce', LONG]], 'invalid_request'],
      ['state twice', [...GOOD, ['state', 's2']], 'invalid_request'],
    ];
    for (const [name, pairs, error] of redirects) {
      it(`${name}: error redirect to the registered URI with ${error}`, async () => {
        assertErrorRedirect(await get(AUTH, pairs), error);
      });
    }

    describe('the submitted form, with a genuine CSRF token', () => {
      const submit = async (fields: Array<[string, string]>, cookie?: string) => {
        const { token, cookie: genuine } = await csrf();
        return post(AUTH, formBody([...GOOD, ['csrf', token], ...fields]), { ...FORM, cookie: cookie ?? genuine });
      };

      const signIns: Array<[string, Array<[string, string]>]> = [
        ['a username with NUL', [['action', 'allow'], ['username', 'alice\u0000'], ['password', DEMO.password]]],
        ['a username of 10 kB', [['action', 'allow'], ['username', LONG], ['password', DEMO.password]]],
        ['a unicode username', [['action', 'allow'], ['username', 'ålice☃'], ['password', DEMO.password]]],
        ['a password with NUL', [['action', 'allow'], ['username', 'alice'], ['password', `${DEMO.password}\u0000`]]],
        ['a password of 10 kB', [['action', 'allow'], ['username', 'alice'], ['password', LONG]]],
      ];
      for (const [name, fields] of signIns) {
        it(`${name}: 401 page, no code`, async () => assertErrorPage(await submit(fields), 401));
      }

      it('username twice: 400 page', async () => assertErrorPage(await submit([['action', 'allow'], ['username', 'alice'], ['username', 'bob'], ['password', DEMO.password]]), 400));
      it('an unknown action: 400 page', async () => assertErrorPage(await submit([['action', 'grant-everything']]), 400));
      it('csrf twice: 400 page', async () => assertErrorPage(await submit([['csrf', 'b'.repeat(43)], ['action', 'allow']]), 400));
      it('a CSRF cookie that does not match: 403 page', async () => assertErrorPage(await submit([['action', 'allow']], `${CSRF_COOKIE}=${'c'.repeat(43)}`), 403));
    });

    describe('logout', () => {
      const notRedirected = (res: Reply, status = 200) => {
        assert.equal(res.status, status, res.body.slice(0, 200));
        assert.equal(res.headers.location, undefined, 'never redirected to an unvalidated URI');
        assert.match(String(res.headers['content-type']), /^text\/html/);
        assertNoLeak(res);
      };

      // Built lazily: the ID tokens exist only once `before` has run. Without proof of the signed-in
      // user (a valid hint) a GET shows the confirmation page and a POST without its CSRF token is a 403.
      const cases: Array<[string, () => Array<[string, string]>, number]> = [
        ['an unregistered post_logout_redirect_uri', () => [['client_id', DEMO.client.id], ['post_logout_redirect_uri', 'https://evil.example/']], 403],
        ['a client_id with NUL', () => [['client_id', 'photoz-client\u0000'], ['post_logout_redirect_uri', CALLBACK]], 403],
        ['a client_id of 10 kB', () => [['client_id', LONG], ['post_logout_redirect_uri', CALLBACK]], 403],
        ['an ID token hint of another realm', () => [['id_token_hint', elsewhereIdToken], ['post_logout_redirect_uri', CALLBACK]], 403],
        ['an ID token hint of 10 kB', () => [['id_token_hint', LONG], ['post_logout_redirect_uri', CALLBACK]], 403],
        ['a hint naming another client than client_id', () => [['id_token_hint', idToken], ['client_id', DEMO.rs.id], ['post_logout_redirect_uri', CALLBACK]], 200],
      ];
      for (const [name, pairs, postStatus] of cases) {
        it(`${name}: a page, no redirect (GET and POST)`, async () => {
          notRedirected(await get(LOGOUT, pairs()));
          notRedirected(await post(LOGOUT, formBody(pairs())), postStatus);
        });
      }

      it('forged ID token hints: no redirect', async () => {
        for (const [name, forged] of await forgeries(idToken)) {
          const res = await get(LOGOUT, [['id_token_hint', forged], ['post_logout_redirect_uri', CALLBACK]]);
          assert.doesNotThrow(() => notRedirected(res), name);
        }
      });

      it('client_id twice: 400 page', async () => assertErrorPage(await get(LOGOUT, [['client_id', DEMO.client.id], ['client_id', DEMO.rs.id], ['post_logout_redirect_uri', CALLBACK]]), 400));
      it('POST with a JSON body: 400 page', async () => assertErrorPage(await post(LOGOUT, JSON.stringify({ client_id: DEMO.client.id }), JSON_TYPE), 400));
      it('POST with malformed JSON: 400 page', async () => assertErrorPage(await post(LOGOUT, '{"client_id": ', JSON_TYPE), 400));
      it('POST over the body limit: 413 page', async () => assertErrorPage(await post(LOGOUT, `pad=${'p'.repeat(OVERSIZE)}`), 413));
      it('an unknown realm: 404 page', async () => assertErrorPage(await raw(s.app, 'GET', '/realms/nope/protocol/openid-connect/logout'), 404));
    });

    for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
      it(`${method} on the authorization endpoint: 404 not_found (no such route)`, async () => assertOAuth(await post(AUTH, formBody(GOOD), FORM, method), 404, 'not_found'));
    }
  });
}
