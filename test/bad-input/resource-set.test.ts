/**
 * @module test/bad-input/resource-set
 * Resource registration (Fed Authz §3) under bad input: every wrong body, content type, path id, token
 * and method gets the documented OAuth error; another owner's resource is indistinguishable from a
 * missing one; nothing rejected is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, createElsewhere, ELSEWHERE, forgeries, JSON_TYPE, LONG, OVERSIZE, passwordTokens, patFor, raw, type Method } from './fixture.ts';

const OTHER_RS = { id: 'other-rs', secret: 'other-rs-secret-0123456789' };
const item = (id: string) => `${DEMO.resourceSet}/${id}`;
const VALID = { name: 'Replacement', resource_scopes: ['view'] };
const s10 = 's'.repeat(257);

/** Bodies a create or a replacement must refuse: [name, content type or null for none, payload, status, error]. */
const BODIES: Array<[string, string | null, string, number, string]> = [
  ['malformed JSON', 'application/json', '{"resource_scopes": ["view"', 400, 'invalid_request'],
  ['empty JSON body', 'application/json', '', 400, 'invalid_request'],
  ['__proto__ key', 'application/json', '{"__proto__": {"owner": "bob"}, "resource_scopes": ["view"]}', 400, 'invalid_request'],
  ['constructor.prototype key', 'application/json', '{"constructor": {"prototype": {"owner": "bob"}}, "resource_scopes": ["view"]}', 400, 'invalid_request'],
  ['a form', 'application/x-www-form-urlencoded', 'resource_scopes=view&name=Album', 400, 'invalid_request'],
  ['JSON as text/plain', 'text/plain', JSON.stringify(VALID), 400, 'invalid_request'],
  ['JSON with no content type', null, JSON.stringify(VALID), 400, 'invalid_request'],
  ['application/xml', 'application/xml', '<resource/>', 400, 'invalid_request'],
  ['JSON over the body limit', 'application/json', JSON.stringify({ ...VALID, description: 'd'.repeat(OVERSIZE) }), 413, 'payload_too_large'],
  ...([
    ['null', null],
    ['an array', [VALID]],
    ['a string', 'view'],
    ['a number', 42],
    ['true', true],
    ['{}', {}],
    ['resource_scopes null', { resource_scopes: null }],
    ['resource_scopes a string', { resource_scopes: 'view' }],
    ['resource_scopes an object', { resource_scopes: { view: true } }],
    ['resource_scopes empty', { resource_scopes: [] }],
    ['resource_scopes [1]', { resource_scopes: [1] }],
    ['resource_scopes [null]', { resource_scopes: [null] }],
    ['resource_scopes nested array', { resource_scopes: [['view']] }],
    ['resource_scopes [{}]', { resource_scopes: [{}] }],
    ['resource_scopes [""]', { resource_scopes: [''] }],
    ['scope with NUL', { resource_scopes: ['view\u0000'] }],
    ['scope of 257 characters', { resource_scopes: [s10] }],
    ['scope of 10 kB', { resource_scopes: [LONG] }],
    ['300 scopes', { resource_scopes: Array.from({ length: 300 }, (_, i) => `s${i}`) }],
    ['name a number', { ...VALID, name: 42 }],
    ['name an array', { ...VALID, name: ['Album'] }],
    ['name an object', { ...VALID, name: { $ne: null } }],
    ['name true', { ...VALID, name: true }],
    ['name with NUL', { ...VALID, name: 'Al\u0000bum' }],
    ['name of 10 kB', { ...VALID, name: LONG }],
    ['type nested', { ...VALID, type: { deep: { deeper: [1] } } }],
    ['description an array', { ...VALID, description: ['a', 'b'] }],
    ['icon_uri javascript:', { ...VALID, icon_uri: 'javascript:alert(1)' }],
    ['icon_uri relative', { ...VALID, icon_uri: '/icon.png' }],
    ['icon_uri a number', { ...VALID, icon_uri: 42 }],
    ['icon_uri of 10 kB', { ...VALID, icon_uri: `https://example.com/${LONG}` }],
    ['name#fr a number', { ...VALID, 'name#fr': 42 }],
  ] as Array<[string, unknown]>).map(([name, body]): [string, string, string, number, string] => [name, 'application/json', JSON.stringify(body), 400, 'invalid_request']),
];

/** Path ids that name no resource of the caller (404); a URL that is not even well-formed is a malformed request (400). */
const HOSTILE_IDS: Array<[string, (real: string) => string, number?, string?]> = [
  ['an unknown uuid', () => '0b5f4a5e-8a8c-4c4e-9d7e-3f1e2d3c4b5a'],
  ['%00', () => '%00'],
  ['the real id + %00', (r) => `${r}%00`],
  ['the real id in upper case', (r) => r.toUpperCase()],
  ['the real id + %2F..', (r) => `${r}%2F..`],
  ['..%2F..%2Fadmin', () => '..%2F..%2Fadmin'],
  ['%2E%2E', () => '%2E%2E'],
  ['unicode', () => '%E2%98%83%F0%9F%92%A9'],
  ['SQL', () => "%27%20OR%201%3D1--"],
  ['500 characters', () => 'x'.repeat(500)],
  ['10 kB', () => LONG],
  ['a broken percent escape', () => '%E0%A4%A', 400, 'invalid_request'],
];

for (const dialect of dialects) {
  describe(`bad input: resource registration (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let bob: string;
    let aliceAtOther: string;
    let aliceElsewhere: string;
    let userToken: string;
    let idToken: string;
    let id: string;
    let original: unknown;
    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      await addClient(s.deps, 'demo', { clientId: OTHER_RS.id, secret: OTHER_RS.secret, grantTypes: ['password'] });
      alice = await patFor(s, 'alice');
      bob = await patFor(s, 'bob');
      aliceAtOther = await patFor(s, 'alice', OTHER_RS);
      aliceElsewhere = await patFor(s, 'alice', DEMO.rs, ELSEWHERE);
      const user = await passwordTokens(s, 'alice', 'openid', DEMO.client);
      userToken = user.access_token;
      idToken = user.id_token;
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${alice}` }, body: { name: 'Album', resource_scopes: ['view', 'download'], 'name#fr': 'Album photo' } });
      assert.equal(created.status, 201, created.body);
      id = created.json._id;
      original = (await request(s.app, 'GET', item(id), { headers: { authorization: `Bearer ${alice}` } })).json;
    });
    after(async () => s?.close());

    const send = (method: Method, url: string, pat: string | null, contentType: string | null, payload?: string) =>
      raw(s.app, method, url, { headers: { ...(pat ? { authorization: `Bearer ${pat}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload !== undefined ? { payload } : {}) });

    for (const [name, type, payload, status, error] of BODIES) {
      it(`create with ${name}: ${status} ${error}`, async () => assertOAuth(await send('POST', DEMO.resourceSet, alice, type, payload), status, error));
      it(`replace with ${name}: ${status} ${error}`, async () => assertOAuth(await send('PUT', item(id), alice, type, payload), status, error));
    }

    it('wrote nothing for any refused create or replace', async () => {
      const list = await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: `Bearer ${alice}` } });
      assert.deepEqual(list.json, [id]);
      assert.deepEqual((await request(s.app, 'GET', item(id), { headers: { authorization: `Bearer ${alice}` } })).json, original);
    });

    for (const [name, idOf, status = 404, error = 'not_found'] of HOSTILE_IDS) {
      for (const method of ['GET', 'PUT', 'DELETE'] as const) {
        it(`${method} of an id that is ${name}: ${status} ${error}`, async () => {
          const res = await send(method, item(idOf(id)), alice, method === 'PUT' ? 'application/json' : null, method === 'PUT' ? JSON.stringify(VALID) : undefined);
          assertOAuth(res, status, error);
        });
      }
    }

    for (const [who, pat] of [['bob (same resource server)', () => bob], ['alice at another resource server', () => aliceAtOther]] as const) {
      it(`${who}: alice's resource is indistinguishable from a missing one`, async () => {
        const missing = '0b5f4a5e-8a8c-4c4e-9d7e-3f1e2d3c4b5a';
        for (const method of ['GET', 'PUT', 'DELETE'] as const) {
          const body = method === 'PUT' ? JSON.stringify(VALID) : undefined;
          const foreign = await send(method, item(id), pat(), body ? 'application/json' : null, body);
          const unknown = await send(method, item(missing), pat(), body ? 'application/json' : null, body);
          assertOAuth(foreign, 404, 'not_found');
          assert.deepEqual(foreign.json, unknown.json, method);
          assert.equal(foreign.headers['www-authenticate'], unknown.headers['www-authenticate']);
        }
        const list = await send('GET', DEMO.resourceSet, pat(), null);
        assert.equal(list.status, 200);
        assert.deepEqual(list.json, []);
      });
    }

    it("alice's resource survived every foreign and hostile attempt unchanged", async () => {
      assert.deepEqual((await request(s.app, 'GET', item(id), { headers: { authorization: `Bearer ${alice}` } })).json, original);
    });

    describe('tokens', () => {
      const routes: Array<[Method, () => string, string | undefined]> = [
        ['GET', () => DEMO.resourceSet, undefined],
        ['POST', () => DEMO.resourceSet, JSON.stringify(VALID)],
        ['GET', () => item(id), undefined],
        ['PUT', () => item(id), JSON.stringify(VALID)],
        ['DELETE', () => item(id), undefined],
      ];
      const call = (method: Method, url: string, payload: string | undefined, authorization: string | null) =>
        raw(s.app, method, url, { headers: { ...(authorization !== null ? { authorization } : {}), ...(payload ? JSON_TYPE : {}) }, ...(payload ? { payload } : {}) });

      it('refuses forged PATs with 401 invalid_token on every route', async () => {
        for (const [name, forged] of await forgeries(alice)) {
          for (const [method, url, payload] of routes) {
            const res = await call(method, url(), payload, `Bearer ${forged}`);
            try {
              assertOAuth(res, 401, 'invalid_token');
            } catch (e) {
              assert.fail(`${name}, ${method} ${url()}: ${(e as Error).message}`);
            }
          }
        }
      });

      const bad: Array<[string, () => string | null, number, string]> = [
        ['no Authorization header', () => null, 401, 'invalid_token'],
        ['an empty Bearer', () => 'Bearer ', 401, 'invalid_token'],
        ['Basic credentials', () => `Basic ${Buffer.from(`${DEMO.rs.id}:${DEMO.rs.secret}`).toString('base64')}`, 401, 'invalid_token'],
        ['a Bearer of 20 kB', () => `Bearer ${'a'.repeat(20_000)}`, 401, 'invalid_token'],
        ['a Bearer with illegal characters', () => 'Bearer a"b,c', 401, 'invalid_token'],
        ['a PAT of another realm (same user and client names)', () => `Bearer ${aliceElsewhere}`, 401, 'invalid_token'],
        ["alice's ID token", () => `Bearer ${idToken}`, 401, 'invalid_token'],
        ['a user token without uma_protection', () => `Bearer ${userToken}`, 403, 'insufficient_scope'],
      ];
      for (const [name, header, status, error] of bad) {
        it(`${name}: ${status} ${error} on every route`, async () => {
          for (const [method, url, payload] of routes) {
            const res = await call(method, url(), payload, header());
            assertOAuth(res, status, error);
            assert.match(String(res.headers['www-authenticate']), /^Bearer realm="demo"/, `${method} ${url()}`);
          }
        });
      }

      it('nothing was changed by a refused token', async () => {
        assert.deepEqual((await request(s.app, 'GET', item(id), { headers: { authorization: `Bearer ${alice}` } })).json, original);
        assert.deepEqual((await request(s.app, 'GET', DEMO.resourceSet, { headers: { authorization: `Bearer ${alice}` } })).json, [id]);
      });
    });

    describe('methods and realms', () => {
      for (const [method, path, allow] of [
        ['PUT', 'collection', 'GET, POST'],
        ['DELETE', 'collection', 'GET, POST'],
        ['PATCH', 'collection', 'GET, POST'],
        ['OPTIONS', 'collection', 'GET, POST'],
        ['POST', 'item', 'GET, PUT, DELETE'],
        ['PATCH', 'item', 'GET, PUT, DELETE'],
        ['OPTIONS', 'item', 'GET, PUT, DELETE'],
      ] as const) {
        it(`${method} on the ${path}: 405 unsupported_method_type`, async () => {
          const res = await send(method, path === 'collection' ? DEMO.resourceSet : item(id), alice, method === 'OPTIONS' ? null : 'application/json', method === 'OPTIONS' ? undefined : JSON.stringify(VALID));
          assertOAuth(res, 405, 'unsupported_method_type');
          assert.equal(res.headers.allow, allow);
        });
      }

      for (const [name, realm] of [['unknown', 'nope'], ['upper case', 'DEMO'], ['NUL', 'demo%00'], ['10 kB', LONG]]) {
        it(`a realm that is ${name}: 404 not_found`, async () => {
          for (const [method, url] of [['GET', ''], ['POST', ''], ['GET', `/${id}`], ['PUT', `/${id}`], ['DELETE', `/${id}`]] as const) {
            const body = method === 'POST' || method === 'PUT' ? JSON.stringify(VALID) : undefined;
            assertOAuth(await send(method, `/realms/${realm}/authz/protection/resource_set${url}`, alice, body ? 'application/json' : null, body), 404, 'not_found');
          }
        });
      }
    });
  });
}
