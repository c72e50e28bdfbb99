/**
 * @module test/bad-input/discovery
 * Discovery documents, JWKS, health, the claims pages and routes that do not exist, under bad input:
 * unknown and malformed realms, wrong methods, malformed URLs, bodies where none belong. Always the
 * documented OAuth JSON error (CREST under `/json`), never a 500 or framework detail.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, JSON_TYPE, LONG, OVERSIZE, raw, type Method } from './fixture.ts';

const DOCS = ['uma2-configuration', 'openid-configuration', 'oauth-authorization-server'];
/** Every realm-scoped GET route of this area, for a realm segment `r`. */
const realmRoutes = (r: string) => [
  ...DOCS.map((d) => `/realms/${r}/.well-known/${d}`),
  ...DOCS.map((d) => `/.well-known/${d}/realms/${r}`),
  `/realms/${r}/protocol/openid-connect/certs`,
];

const BAD_REALMS: Array<[string, string]> = [
  ['unknown', 'nope'],
  ['upper case', 'DEMO'],
  ['with NUL', 'demo%00'],
  ['with a trailing space', 'demo%20'],
  ['path tricks', '..%2Fdemo'],
  ['unicode', 'd%C3%A9mo'],
  ['SQL', "demo'%20OR%201=1--"],
  ['65 characters', 'a'.repeat(65)],
  ['10 kB', LONG],
];

for (const dialect of dialects) {
  describe(`bad input: discovery, JWKS, health and unknown routes (${dialect})`, () => {
    let s: TestSteward;
    before(async () => {
      s = await startTestSteward(dialect);
    });
    after(async () => s?.close());

    const send = (method: Method, url: string, headers: Record<string, string> = {}, payload?: string) => raw(s.app, method, url, { headers, ...(payload !== undefined ? { payload } : {}) });

    for (const [name, realm] of BAD_REALMS) {
      it(`a realm that is ${name}: 404 not_found on every discovery and JWKS route`, async () => {
        for (const url of realmRoutes(realm)) {
          const res = await send('GET', url);
          try {
            assertOAuth(res, 404, 'not_found');
          } catch (e) {
            assert.fail(`${url.slice(0, 80)}: ${(e as Error).message}`);
          }
        }
      });
    }

    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) {
      it(`${method} on discovery and JWKS: 404 not_found (no such route)`, async () => {
        for (const url of realmRoutes('demo')) {
          const res = await send(method, url, method === 'DELETE' ? {} : JSON_TYPE, method === 'DELETE' ? undefined : '{}');
          assert.doesNotThrow(() => assertOAuth(res, 404, 'not_found'), `${method} ${url}`);
        }
      });
    }

    it('the claims pages of a bad realm: a 404 HTML page (a browser route), never a redirect', async () => {
      for (const [, realm] of BAD_REALMS.slice(0, -1)) {
        for (const method of ['GET', 'POST'] as const) {
          const res = await send(method, `/realms/${realm}/uma/claims?client_id=photoz-client`, method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : {}, method === 'POST' ? 'csrf=x' : undefined);
          assert.equal(res.status, 404, `${method} ${realm}`);
          assert.match(String(res.headers['content-type']), /^text\/html/);
          assert.equal(res.headers.location, undefined);
        }
      }
    });

    it('malformed JSON on a POST to a GET-only route: 400 invalid_request (the body is parsed first)', async () => {
      for (const url of realmRoutes('demo')) {
        const res = await send('POST', url, JSON_TYPE, '{"broken": ');
        assert.doesNotThrow(() => assertOAuth(res, 400, 'invalid_request'), url);
      }
    });

    it('a body over the limit on a POST to a GET-only route: 413 payload_too_large', async () => {
      assertOAuth(await send('POST', '/realms/demo/protocol/openid-connect/certs', JSON_TYPE, JSON.stringify({ pad: 'p'.repeat(OVERSIZE) })), 413, 'payload_too_large');
    });

    const unknown: Array<[string, string]> = [
      ['/realms', '/realms'],
      ['/realms/nope (the realm info of an unknown realm)', '/realms/nope'],
      ['/realms/demo/', '/realms/demo/'],
      ['an unknown OIDC endpoint', '/realms/demo/protocol/openid-connect/nope'],
      ['the token endpoint with a trailing slash', '/realms/demo/protocol/openid-connect/token/'],
      ['the JWKS with a trailing slash', '/realms/demo/protocol/openid-connect/certs/'],
      ['a JWKS path with NUL', '/realms/demo/protocol/openid-connect/certs%00'],
      ['dot segments', '/realms/demo/../../etc/passwd'],
      ['encoded dot segments', '/realms/demo/%2E%2E/%2E%2E/etc/passwd'],
      ['the admin API (not served)', '/admin/realms/demo/users'],
      ['an unknown discovery document', '/realms/demo/.well-known/nope'],
      ['a well-known path without a realm', '/.well-known/openid-configuration'],
      ['a path of 10 kB', `/${LONG}`],
      ['unicode', '/%E2%98%83'],
    ];
    for (const [name, url] of unknown) {
      it(`${name}: 404 not_found`, async () => assertOAuth(await send('GET', url), 404, 'not_found'));
    }

    it('the root: GET is the landing page; other methods are no route (404 not_found)', async () => {
      const page = await send('GET', '/');
      assert.equal(page.status, 200, page.body);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      for (const method of ['POST', 'PUT', 'DELETE', 'PATCH'] as const) assertOAuth(await send(method, '/', JSON_TYPE, '{}'), 404, 'not_found');
    });

    for (const [name, url] of [
      ['a broken percent escape in a realm', '/realms/%E0%A4%A/.well-known/openid-configuration'],
      ['a broken percent escape in the JWKS realm', '/realms/%ZZ/protocol/openid-connect/certs'],
    ]) {
      it(`${name}: 400 invalid_request`, async () => assertOAuth(await send('GET', url!), 400, 'invalid_request'));
    }

    it('health: POST is no route (404 not_found), GET answers UP', async () => {
      for (const url of ['/health/live', '/health/ready']) {
        assertOAuth(await send('POST', url, JSON_TYPE, '{}'), 404, 'not_found');
        const ok = await send('GET', url);
        assert.equal(ok.status, 200, ok.body);
        assert.deepEqual(ok.json, { status: 'UP' });
      }
    });

    it('the well-formed routes still answer after all of the above', async () => {
      const doc = await send('GET', '/realms/demo/.well-known/uma2-configuration');
      assert.equal(doc.status, 200);
      assert.equal(doc.json.issuer, s.issuer);
      const certs = await send('GET', '/realms/demo/protocol/openid-connect/certs');
      assert.equal(certs.status, 200);
      assert.ok(Array.isArray(certs.json.keys) && certs.json.keys.length > 0);
      for (const key of certs.json.keys) assert.equal(key.d, undefined, 'no private key material in the JWKS');
    });
  });
}
