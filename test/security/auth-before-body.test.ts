/**
 * Security: a protected endpoint authenticates before it reads the body (RFC 6750 §3.1). A caller
 * without a token, or with a bad one, learns 401 and the `WWW-Authenticate` challenge whatever it
 * sends: an empty, malformed, oversized or wrongly typed body never turns the answer into a 400 or a
 * 413. Endpoints that authenticate the client in the form (introspection, revocation) answer missing
 * or bad credentials with 401 before any 400 about the other parameters.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, DEMO } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, formBody, raw, type Method } from '../bad-input/fixture.ts';
import { ADMIN, startAdminSteward } from '../admin-api/fixture.ts';

const ID = '0b5f4a5e-8a8c-4c4e-9d7e-3f1e2d3c4b5a';
const PROTECTION = '/realms/demo/authz/protection';

/** Every bearer-protected route that takes a body, or may be sent one. */
const BEARER_ROUTES: Array<[Method, string]> = [
  ['POST', `${PROTECTION}/permission`],
  ['POST', `${PROTECTION}/resource_set`],
  ['POST', `${PROTECTION}/resource_set/`],
  ['PUT', `${PROTECTION}/resource_set/${ID}`],
  ['DELETE', `${PROTECTION}/resource_set/${ID}`],
  ['POST', `${PROTECTION}/access`],
  ['POST', `${PROTECTION}/uma-policy/${ID}`],
  ['PUT', `${PROTECTION}/uma-policy/${ID}`],
  ['DELETE', `${PROTECTION}/uma-policy/${ID}`],
  ['POST', `${PROTECTION}/permission/ticket`],
  ['PUT', `${PROTECTION}/permission/ticket`],
  ['DELETE', `${PROTECTION}/permission/ticket/${ID}`],
  ['POST', '/realms/demo/protocol/openid-connect/userinfo'],
];

/** Bodies a protected route would refuse with a 400, 413 or 415 once the caller is known. */
const BODIES: Array<[string, Record<string, string>, string | undefined]> = [
  ['JSON declared, no body', { 'content-type': 'application/json' }, undefined],
  ['JSON declared, empty body', { 'content-type': 'application/json' }, ''],
  ['malformed JSON', { 'content-type': 'application/json' }, '{"resource_scopes": ['],
  ['a repeated member', { 'content-type': 'application/json' }, '{"a": 1, "a": 2}'],
  ['JSON in UTF-16', { 'content-type': 'application/json; charset=utf-16' }, '{}'],
  ['an unknown media type', { 'content-type': 'application/xml' }, '<permission/>'],
  ['a form', { 'content-type': 'application/x-www-form-urlencoded' }, 'a=1&a=2'],
  ['a body over the limit', { 'content-type': 'application/json' }, `[${'1,'.repeat(600_000)}1]`],
];

for (const dialect of dialects) {
  describe(`security: authentication before the body (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    it('answers 401 with a Bearer challenge on every bearer-protected route, whatever the body, without a token', async () => {
      for (const [method, url] of BEARER_ROUTES) {
        for (const [what, headers, payload] of BODIES) {
          const res = await raw(s.app, method, url, { headers, ...(payload !== undefined ? { payload } : {}) });
          assert.equal(res.status, 401, `${method} ${url} with ${what}: ${res.status} ${res.body.slice(0, 200)}`);
          assertOAuth(res, 401, 'invalid_token');
          assert.equal(res.headers['www-authenticate'], 'Bearer realm="demo"', `${method} ${url} with ${what}`);
        }
      }
    });

    it('answers 401 invalid_token with its challenge for a bad token, whatever the body', async () => {
      for (const [method, url] of BEARER_ROUTES) {
        for (const [what, headers, payload] of BODIES) {
          const res = await raw(s.app, method, url, { headers: { ...headers, authorization: 'Bearer not.a.token' }, ...(payload !== undefined ? { payload } : {}) });
          assertOAuth(res, 401, 'invalid_token');
          assert.equal(res.headers['www-authenticate'], 'Bearer realm="demo", error="invalid_token"', `${method} ${url} with ${what}`);
        }
      }
    });

    it('answers an unknown realm 404 before reading the body', async () => {
      const res = await raw(s.app, 'POST', '/realms/nowhere/authz/protection/permission', { headers: { 'content-type': 'application/json' }, payload: '{' });
      assertOAuth(res, 404, 'not_found');
    });

    it('owner API writes: no session is 401 (CREST) whatever the body', async () => {
      const base = '/json/realms/root/realms/demo/users/alice';
      const writes: Array<[Method, string]> = [
        ['PUT', `${base}/uma/policies/${ID}`],
        ['DELETE', `${base}/uma/policies/${ID}`],
        ['PUT', `${base}/policies/${ID}~bob`],
        ['DELETE', `${base}/policies/${ID}~bob`],
        ['POST', `${base}/uma/pendingrequests?_action=approveAll`],
        ['POST', `${base}/uma/pendingrequests/${ID}?_action=approve`],
      ];
      for (const [method, url] of writes) {
        for (const [what, headers, payload] of BODIES) {
          for (const credential of [{}, { iPlanetDirectoryPro: 'not-a-session' }, { authorization: 'Bearer not.a.token' }] as Array<Record<string, string>>) {
            const res = await raw(s.app, method, url, { headers: { ...headers, ...credential }, ...(payload !== undefined ? { payload } : {}) });
            assert.equal(res.status, 401, `${method} ${url} with ${what} and ${Object.keys(credential).join() || 'no credential'}: ${res.status} ${res.body.slice(0, 200)}`);
            assert.deepEqual(res.json, { code: 401, reason: 'Unauthorized', message: 'Access Denied' });
          }
        }
      }
    });

    it('introspection: no or bad credentials are 401 whatever the body', async () => {
      const url = '/realms/demo/protocol/openid-connect/token/introspect';
      for (const [what, headers, payload] of BODIES) {
        const anonymous = await raw(s.app, 'POST', url, { headers, ...(payload !== undefined ? { payload } : {}) });
        assertOAuth(anonymous, 401, 'invalid_token');
        assert.equal(anonymous.headers['www-authenticate'], 'Bearer realm="demo"', what);
        const wrong = await raw(s.app, 'POST', url, { headers: { ...headers, authorization: basic(DEMO.rs.id, 'wrong') }, ...(payload !== undefined ? { payload } : {}) });
        assertOAuth(wrong, 401, 'invalid_client');
      }
    });

    it('revocation: no or bad credentials are 401 before any complaint about the parameters', async () => {
      const url = '/realms/demo/protocol/openid-connect/revoke';
      const bodies: Array<[string, Record<string, string>, string | undefined]> = [
        ...BODIES,
        ['no token parameter', { 'content-type': 'application/x-www-form-urlencoded' }, ''],
        ['the token twice', { 'content-type': 'application/x-www-form-urlencoded' }, formBody([['token', 'a'], ['token', 'b']])],
      ];
      for (const [what, headers, payload] of bodies) {
        const anonymous = await raw(s.app, 'POST', url, { headers, ...(payload !== undefined ? { payload } : {}) });
        assert.equal(anonymous.status, 401, `${what}: ${anonymous.body}`);
        assertOAuth(anonymous, 401, 'invalid_client');
        const wrong = await raw(s.app, 'POST', url, { headers: { ...headers, authorization: basic(DEMO.rs.id, 'wrong') }, ...(payload !== undefined ? { payload } : {}) });
        assertOAuth(wrong, 401, 'invalid_client');
        assert.equal(wrong.headers['www-authenticate'], 'Basic realm="demo"', what);
      }
    });

    it('still answers the body problem once the caller is authenticated', async () => {
      const rs = { authorization: basic(DEMO.rs.id, DEMO.rs.secret) };
      assertOAuth(await raw(s.app, 'POST', '/realms/demo/protocol/openid-connect/revoke', { headers: { ...rs, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' }), 400, 'invalid_request');
      assertOAuth(await raw(s.app, 'POST', '/realms/demo/protocol/openid-connect/revoke', { headers: { ...rs, 'content-type': 'application/json' }, payload: '{}' }), 400, 'invalid_request');
      assertOAuth(await raw(s.app, 'POST', '/realms/demo/protocol/openid-connect/token/introspect', { headers: { ...rs, 'content-type': 'application/x-www-form-urlencoded' }, payload: '' }), 400, 'invalid_request');
    });
  });

  describe(`security: the admin API authenticates before the body (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startAdminSteward(dialect);
    });
    after(async () => s?.close());

    const WRITES: Array<[Method, string]> = [
      ['POST', '/admin/realms'],
      ['POST', '/admin/realms/import'],
      ['POST', '/admin/realms/demo/users'],
      ['POST', '/admin/realms/demo/clients'],
      ['POST', '/admin/realms/demo/groups'],
      ['POST', '/admin/realms/demo/organizations'],
      ['POST', '/admin/realms/demo/webhooks'],
      ['PUT', '/admin/realms/demo/resource-servers/photoz-rs/configuration'],
    ];

    it('answers 401 with the admin challenge whatever the body, without the admin token or with a wrong one', async () => {
      for (const [method, url] of WRITES) {
        for (const [what, headers, payload] of BODIES) {
          for (const [token, challenge] of [[undefined, 'Bearer realm="admin"'], ['wrong', 'Bearer realm="admin", error="invalid_token"']] as const) {
            const res = await raw(s.app, method, url, { headers: { ...headers, ...(token ? { authorization: `Bearer ${token}` } : {}) }, ...(payload !== undefined ? { payload } : {}) });
            assert.equal(res.status, 401, `${method} ${url} with ${what}: ${res.status} ${res.body.slice(0, 200)}`);
            assertOAuth(res, 401, 'invalid_token');
            assert.equal(res.headers['www-authenticate'], challenge);
          }
        }
      }
    });

    it('still answers the body problem to the administrator', async () => {
      assertOAuth(await raw(s.app, 'POST', '/admin/realms', { headers: { ...ADMIN, 'content-type': 'application/json' }, payload: '{' }), 400, 'invalid_request');
    });
  });
}
