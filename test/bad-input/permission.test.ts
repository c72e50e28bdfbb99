/**
 * @module test/bad-input/permission
 * The permission endpoint (Fed Authz §4) under bad input: wrong bodies, content types, tokens and
 * methods get the documented OAuth error; another owner's resource id is answered exactly like an
 * unknown one (400 invalid_resource_id).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request, type Reply } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { assertOAuth, createElsewhere, ELSEWHERE, forgeries, LONG, patFor, raw, type Method } from './fixture.ts';

const OTHER_RS = { id: 'other-rs', secret: 'other-rs-secret-0123456789' };
const MISSING = '0b5f4a5e-8a8c-4c4e-9d7e-3f1e2d3c4b5a';

for (const dialect of dialects) {
  describe(`bad input: permission endpoint (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let bob: string;
    let aliceAtOther: string;
    let aliceElsewhere: string;
    let id: string;
    before(async () => {
      s = await startTestSteward(dialect);
      await createElsewhere(s);
      await addClient(s.deps, 'demo', { clientId: OTHER_RS.id, secret: OTHER_RS.secret, grantTypes: ['password'] });
      alice = await patFor(s, 'alice');
      bob = await patFor(s, 'bob');
      aliceAtOther = await patFor(s, 'alice', OTHER_RS);
      aliceElsewhere = await patFor(s, 'alice', DEMO.rs, ELSEWHERE);
      const created = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: `Bearer ${alice}` }, body: { name: 'Album', resource_scopes: ['view', 'download'] } });
      assert.equal(created.status, 201, created.body);
      id = created.json._id;
    });
    after(async () => s?.close());

    const post = (pat: string | null, contentType: string | null, payload?: string, url: string = DEMO.permission, method: Method = 'POST') =>
      raw(s.app, method, url, { headers: { ...(pat !== null ? { authorization: `Bearer ${pat}` } : {}), ...(contentType ? { 'content-type': contentType } : {}) }, ...(payload !== undefined ? { payload } : {}) });
    const json = (pat: string, body: unknown) => post(pat, 'application/json', JSON.stringify(body));
    const good = () => ({ resource_id: id, resource_scopes: ['view'] });

    const RAW: Array<[string, string | null, () => string, number, string]> = [
      ['malformed JSON', 'application/json', () => `{"resource_id": "${id}", `, 400, 'invalid_request'],
      ['empty JSON body', 'application/json', () => '', 400, 'invalid_request'],
      ['__proto__ key', 'application/json', () => `{"__proto__": {"x": 1}, "resource_id": "${id}", "resource_scopes": ["view"]}`, 400, 'invalid_request'],
      ['a form', 'application/x-www-form-urlencoded', () => `resource_id=${id}&resource_scopes=view`, 400, 'invalid_request'],
      ['JSON as text/plain', 'text/plain', () => JSON.stringify(good()), 400, 'invalid_request'],
      ['JSON with no content type', null, () => JSON.stringify(good()), 400, 'invalid_request'],
      ['application/xml', 'application/xml', () => '<permission/>', 400, 'invalid_request'],
      ['JSON over the body limit', 'application/json', () => JSON.stringify(Array.from({ length: 2_000 }, () => good())), 413, 'payload_too_large'],
    ];
    for (const [name, type, payload, status, error] of RAW) {
      it(`${name}: ${status} ${error}`, async () => assertOAuth(await post(alice, type, payload()), status, error));
    }

    const SHAPES: Array<[string, () => unknown]> = [
      ['null', () => null],
      ['a string', () => id],
      ['a number', () => 42],
      ['an empty array', () => []],
      ['{}', () => ({})],
      ['resource_id missing', () => ({ resource_scopes: ['view'] })],
      ['resource_id null', () => ({ resource_id: null, resource_scopes: ['view'] })],
      ['resource_id a number', () => ({ resource_id: 42, resource_scopes: ['view'] })],
      ['resource_id an array', () => ({ resource_id: [id], resource_scopes: ['view'] })],
      ['resource_id an object', () => ({ resource_id: { $ne: null }, resource_scopes: ['view'] })],
      ['resource_id empty', () => ({ resource_id: '', resource_scopes: ['view'] })],
      ['resource_id of 10 kB', () => ({ resource_id: LONG, resource_scopes: ['view'] })],
      ['resource_id with NUL', () => ({ resource_id: `${id}\u0000`, resource_scopes: ['view'] })],
      ['resource_scopes missing', () => ({ resource_id: id })],
      ['resource_scopes a string', () => ({ resource_id: id, resource_scopes: 'view' })],
      ['resource_scopes [1]', () => ({ resource_id: id, resource_scopes: [1] })],
      ['resource_scopes nested', () => ({ resource_id: id, resource_scopes: [['view']] })],
      ['resource_scopes [""]', () => ({ resource_id: id, resource_scopes: [''] })],
      ['resource_scopes with NUL', () => ({ resource_id: id, resource_scopes: ['view\u0000'] })],
      ['101 permissions', () => Array.from({ length: 101 }, () => good())],
      ['an array holding a number', () => [good(), 42]],
      ['an array holding null', () => [good(), null]],
      ['an array of arrays', () => [[good()]]],
    ];
    for (const [name, body] of SHAPES) {
      it(`body ${name}: 400 invalid_request`, async () => assertOAuth(await json(alice, body()), 400, 'invalid_request'));
    }

    const UNKNOWN: Array<[string, () => string]> = [
      ['an unknown uuid', () => MISSING],
      ['path tricks', () => '../../etc/passwd'],
      ['SQL', () => "' OR 1=1--"],
      ['unicode', () => '☃💩'],
      ['the real id in upper case', () => id.toUpperCase()],
      ['256 characters', () => 'x'.repeat(256)],
    ];
    for (const [name, resourceId] of UNKNOWN) {
      it(`resource_id ${name}: 400 invalid_resource_id`, async () => {
        assertOAuth(await json(alice, { resource_id: resourceId(), resource_scopes: ['view'] }), 400, 'invalid_resource_id');
      });
    }

    /** The reply with the resource id masked, to compare a foreign id's answer with an unknown one's. */
    const masked = (res: Reply, resourceId: string) => JSON.parse(res.body.split(resourceId).join('<id>'));

    for (const [who, pat] of [['bob (same resource server)', () => bob], ['alice at another resource server', () => aliceAtOther]] as const) {
      it(`${who}: alice's resource id is answered exactly like an unknown one`, async () => {
        const foreign = await json(pat(), { resource_id: id, resource_scopes: ['view'] });
        const unknown = await json(pat(), { resource_id: MISSING, resource_scopes: ['view'] });
        assertOAuth(foreign, 400, 'invalid_resource_id');
        assert.deepEqual(masked(foreign, id), masked(unknown, MISSING));
        // An unregistered scope on a foreign resource must not reveal the resource either.
        const scope = await json(pat(), { resource_id: id, resource_scopes: ['no-such-scope'] });
        assertOAuth(scope, 400, 'invalid_resource_id');
        const mixed = await json(pat(), [{ resource_id: MISSING, resource_scopes: [] }, { resource_id: id, resource_scopes: ['view'] }]);
        assertOAuth(mixed, 400, 'invalid_resource_id');
      });
    }

    it('an unregistered scope on her own resource: 400 invalid_scope', async () => {
      assertOAuth(await json(alice, { resource_id: id, resource_scopes: ['delete'] }), 400, 'invalid_scope');
      assertOAuth(await json(alice, [good(), { resource_id: id, resource_scopes: ['x'.repeat(256)] }]), 400, 'invalid_scope');
    });

    it('one unknown resource among good ones: 400 invalid_resource_id', async () => {
      assertOAuth(await json(alice, [good(), { resource_id: MISSING, resource_scopes: [] }]), 400, 'invalid_resource_id');
    });

    it('refuses forged PATs with 401 invalid_token', async () => {
      for (const [name, forged] of await forgeries(alice)) {
        const res = await json(forged, good());
        try {
          assertOAuth(res, 401, 'invalid_token');
        } catch (e) {
          assert.fail(`${name}: ${(e as Error).message}`);
        }
      }
    });

    it('refuses a PAT of another realm (same user and client names): 401 invalid_token', async () => {
      assertOAuth(await json(aliceElsewhere, good()), 401, 'invalid_token');
    });

    it('refuses a request without a PAT: 401 invalid_token with a bare challenge', async () => {
      const res = await post(null, 'application/json', JSON.stringify(good()));
      assertOAuth(res, 401, 'invalid_token');
      assert.equal(res.headers['www-authenticate'], 'Bearer realm="demo"');
    });

    for (const method of ['GET', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'] as const) {
      it(`${method}: 405 unsupported_method_type`, async () => {
        const res = await post(alice, method === 'GET' || method === 'OPTIONS' ? null : 'application/json', method === 'GET' || method === 'OPTIONS' ? undefined : JSON.stringify(good()), DEMO.permission, method);
        assertOAuth(res, 405, 'unsupported_method_type');
        assert.equal(res.headers.allow, 'POST');
      });
    }

    for (const [name, realm] of [['unknown', 'nope'], ['NUL', 'demo%00'], ['unicode', 'd%C3%A9mo'], ['10 kB', LONG]]) {
      it(`a realm that is ${name}: 404 not_found`, async () => {
        assertOAuth(await post(alice, 'application/json', JSON.stringify(good()), `/realms/${realm}/authz/protection/permission`), 404, 'not_found');
      });
    }

    it('still issues a ticket for a good request after all of the above', async () => {
      const res = await json(alice, good());
      assert.equal(res.status, 201, res.body);
      assert.equal(typeof res.json.ticket, 'string');
    });
  });
}
