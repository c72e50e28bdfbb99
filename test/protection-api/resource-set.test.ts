/** Resource registration (Fed Authz §3) over HTTP, on both stores: PAT checks, CRUD, validation, isolation. */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { addOtherResourceServer, assertError, auth, OTHER_RS, register, tokenFor } from './fixture.ts';

const item = (id: string) => `${DEMO.resourceSet}/${id}`;

for (const dialect of dialects) {
  describe(`resource registration (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let bob: string;
    let aliceAtOther: string;

    before(async () => {
      s = await startTestSteward(dialect);
      await addOtherResourceServer(s);
      alice = await tokenFor(s, 'alice');
      bob = await tokenFor(s, 'bob');
      aliceAtOther = await tokenFor(s, 'alice', 'uma_protection', OTHER_RS);
    });
    after(async () => s?.close());

    describe('PAT', () => {
      it('without a token: 401 with a bare Bearer challenge', async () => {
        const res = await request(s.app, 'GET', DEMO.resourceSet);
        assertError(res, 401, 'invalid_token');
        assert.equal(res.headers['www-authenticate'], 'Bearer realm="demo"');
      });

      it('with a garbage token: 401 invalid_token', async () => {
        const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: { authorization: bearer('not.a.token') }, body: { resource_scopes: ['view'] } });
        assertError(res, 401, 'invalid_token');
        assert.match(String(res.headers['www-authenticate']), /^Bearer realm="demo", error="invalid_token"/);
      });

      it('with a token lacking uma_protection: 403 insufficient_scope', async () => {
        const userToken = await tokenFor(s, 'alice', 'openid');
        const res = await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(userToken) });
        assertError(res, 403, 'insufficient_scope');
        assert.match(String(res.headers['www-authenticate']), /error="insufficient_scope"/);
      });

      it('with a revoked PAT: 401 invalid_token', async () => {
        const pat = await tokenFor(s, 'alice');
        const jti = JSON.parse(Buffer.from(pat.split('.')[1]!, 'base64url').toString()).jti;
        assert.equal(await s.deps.store.tokens.revoke('demo', jti), true);
        assertError(await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(pat) }), 401, 'invalid_token');
      });

      it('in an unknown realm: 404', async () => {
        assertError(await request(s.app, 'GET', '/realms/nowhere/authz/protection/resource_set', { headers: auth(alice) }), 404, 'not_found');
      });
    });

    describe('lifecycle', () => {
      let id: string;

      it('lists nothing before anything is registered', async () => {
        const res = await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(bob) });
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, []);
      });

      it('creates: 201, Location, _id, user_access_policy_uri and the full description', async () => {
        const res = await register(s, alice, {
          name: 'Photo album',
          'name#fr': 'Album photo',
          'name#en-US': 'Photo album (US)',
          description: 'Holidays',
          'description#de': 'Urlaub',
          type: 'http://photoz.example.com/album',
          icon_uri: 'https://photoz.example.com/icons/album.png',
          resource_scopes: ['view', 'delete', 'view', 'http://photoz.example.com/scopes/print'],
          surprise: 'ignored',
          'title#fr': 'ignored too',
        });
        id = res.json._id;
        assert.match(id, /^[0-9a-f-]{36}$/);
        assert.equal(res.headers.location, `${s.issuer}/authz/protection/resource_set/${id}`);
        assert.deepEqual(res.json, {
          _id: id,
          user_access_policy_uri: `${s.issuer}/account/resources/${id}`,
          name: 'Photo album',
          'name#fr': 'Album photo',
          'name#en-US': 'Photo album (US)',
          description: 'Holidays',
          'description#de': 'Urlaub',
          type: 'http://photoz.example.com/album',
          icon_uri: 'https://photoz.example.com/icons/album.png',
          resource_scopes: ['view', 'delete', 'http://photoz.example.com/scopes/print'],
        });
      });

      it('reads it back with _id, internationalized members round-tripped', async () => {
        const res = await request(s.app, 'GET', item(id), { headers: auth(alice) });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, {
          _id: id,
          name: 'Photo album',
          'name#fr': 'Album photo',
          'name#en-US': 'Photo album (US)',
          description: 'Holidays',
          'description#de': 'Urlaub',
          type: 'http://photoz.example.com/album',
          icon_uri: 'https://photoz.example.com/icons/album.png',
          resource_scopes: ['view', 'delete', 'http://photoz.example.com/scopes/print'],
        });
      });

      it('lists it (also under the trailing-slash collection URI)', async () => {
        for (const url of [DEMO.resourceSet, `${DEMO.resourceSet}/`]) {
          const res = await request(s.app, 'GET', url, { headers: auth(alice) });
          assert.equal(res.status, 200);
          assert.deepEqual(res.json, [id]);
        }
      });

      it('replaces it completely: omitted optional members are dropped', async () => {
        const res = await request(s.app, 'PUT', item(id), { headers: auth(alice), body: { resource_scopes: ['view'], 'description#fr': 'Vacances', _id: 'ignored' } });
        assert.equal(res.status, 200, res.body);
        assert.deepEqual(res.json, { _id: id, user_access_policy_uri: `${s.issuer}/account/resources/${id}`, resource_scopes: ['view'], 'description#fr': 'Vacances' });
        const read = await request(s.app, 'GET', item(id), { headers: auth(alice) });
        assert.deepEqual(read.json, { _id: id, resource_scopes: ['view'], 'description#fr': 'Vacances' });
      });

      it('deletes it (and its policy): 204, then 404 on read, update and delete', async () => {
        const now = s.deps.clock.now();
        const user = await s.deps.store.users.findByUsername('demo', 'alice');
        assert.ok(await s.deps.store.policies.create({ realm: 'demo', id, owner: user!.id, rev: '1', permissions: [{ subject: 'bob', scopes: ['view'] }], createdAt: now, updatedAt: now }));
        const res = await request(s.app, 'DELETE', item(id), { headers: auth(alice) });
        assert.equal(res.status, 204);
        assert.equal(res.body, '');
        assert.equal(await s.deps.store.policies.get('demo', user!.id, id), null);
        assertError(await request(s.app, 'GET', item(id), { headers: auth(alice) }), 404, 'not_found');
        assertError(await request(s.app, 'PUT', item(id), { headers: auth(alice), body: { resource_scopes: ['view'] } }), 404, 'not_found');
        assertError(await request(s.app, 'DELETE', item(id), { headers: auth(alice) }), 404, 'not_found');
        assert.deepEqual((await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(alice) })).json, []);
      });

      it('answers 404 for an id that never existed, including odd ones', async () => {
        for (const odd of ['00000000-0000-0000-0000-000000000000', 'x', '%00', 'a'.repeat(300)]) {
          assertError(await request(s.app, 'GET', item(odd), { headers: auth(alice) }), 404, 'not_found');
        }
      });
    });

    describe('unsupported methods', () => {
      for (const method of ['DELETE', 'PUT', 'PATCH'] as const) {
        it(`${method} on the collection: 405 unsupported_method_type`, async () => {
          const res = await request(s.app, method, DEMO.resourceSet, { headers: auth(alice) });
          assertError(res, 405, 'unsupported_method_type');
          assert.equal(res.headers.allow, 'GET, POST');
        });
      }
      for (const method of ['PATCH', 'POST'] as const) {
        it(`${method} on an item: 405 unsupported_method_type`, async () => {
          const res = await request(s.app, method, item('some-id'), { headers: auth(alice), body: { resource_scopes: ['view'] } });
          assertError(res, 405, 'unsupported_method_type');
          assert.equal(res.headers.allow, 'GET, PUT, DELETE');
        });
      }
    });

    describe('validation', () => {
      const long = (n: number) => 'x'.repeat(n);
      const cases: Array<[string, unknown, RegExp]> = [
        ['an empty object', {}, /resource_scopes is required/],
        ['a JSON array', [{ resource_scopes: ['view'] }], /must be a JSON object/],
        ['a JSON string', 'just text', /must be a JSON object/],
        ['resource_scopes as a string', { resource_scopes: 'view' }, /resource_scopes must be an array/],
        ['no scopes', { resource_scopes: [] }, /resource_scopes must name at least 1/],
        ['a number scope', { resource_scopes: ['view', 7] }, /resource_scopes\[1\] must be a string/],
        ['an empty scope', { resource_scopes: [''] }, /resource_scopes\[0\] must not be empty/],
        ['a scope over 256 characters', { resource_scopes: [long(257)] }, /resource_scopes\[0\] must be at most 256/],
        ['over 256 scopes', { resource_scopes: Array.from({ length: 257 }, (_, i) => `s${i}`) }, /at most 256 scopes/],
        ['a number name', { resource_scopes: ['view'], name: 42 }, /^name must be a string/],
        ['a name over 1024 characters', { resource_scopes: ['view'], name: long(1025) }, /^name must be at most 1024/],
        ['a boolean type', { resource_scopes: ['view'], type: true }, /^type must be a string/],
        ['an object description', { resource_scopes: ['view'], description: {} }, /^description must be a string/],
        ['a NUL in the name', { resource_scopes: ['view'], name: 'a\u0000b' }, /^name must not contain NUL/],
        ['a relative icon_uri', { resource_scopes: ['view'], icon_uri: '/icons/a.png' }, /^icon_uri must be an absolute http/],
        ['a javascript: icon_uri', { resource_scopes: ['view'], icon_uri: 'javascript:alert(1)' }, /^icon_uri must be an absolute http/],
        ['a number icon_uri', { resource_scopes: ['view'], icon_uri: 1 }, /^icon_uri must be a string/],
        ['a number name#fr', { resource_scopes: ['view'], 'name#fr': 1 }, /^name#fr must be a string/],
        ['a long description#en-GB', { resource_scopes: ['view'], 'description#en-GB': long(1025) }, /^description#en-GB must be at most 1024/],
      ];
      for (const [label, body, pattern] of cases) {
        it(`refuses ${label} on create and on replace: 400 invalid_request`, async () => {
          const payload = typeof body === 'string' ? JSON.stringify(body) : body;
          assertError(await request(s.app, 'POST', DEMO.resourceSet, { headers: auth(alice), body: payload }), 400, 'invalid_request', pattern);
          const existing = await register(s, alice, { resource_scopes: ['view'] });
          assertError(await request(s.app, 'PUT', item(existing.json._id), { headers: auth(alice), body: payload }), 400, 'invalid_request', pattern);
        });
      }

      it('accepts null optional members as absent', async () => {
        const res = await register(s, alice, { resource_scopes: ['view'], name: null, icon_uri: null });
        assert.equal('name' in res.json, false);
        assert.equal('icon_uri' in res.json, false);
      });

      it('refuses a body that is not JSON: 400 invalid_request', async () => {
        const bodies: Array<[string, string]> = [
          ['application/x-www-form-urlencoded', 'resource_scopes=view'],
          ['text/plain', '{"resource_scopes":["view"]}'],
          ['application/xml', '<resource/>'],
        ];
        for (const [type, body] of bodies) {
          assertError(await request(s.app, 'POST', DEMO.resourceSet, { headers: { ...auth(alice), 'content-type': type }, body }), 400, 'invalid_request');
        }
        assertError(await request(s.app, 'POST', DEMO.resourceSet, { headers: auth(alice) }), 400, 'invalid_request');
      });

      it('refuses malformed JSON and an empty JSON body: 400 invalid_request', async () => {
        assertError(await request(s.app, 'POST', DEMO.resourceSet, { headers: { ...auth(alice), 'content-type': 'application/json' }, body: '{"resource_scopes": [' }), 400, 'invalid_request');
        assertError(await request(s.app, 'POST', DEMO.resourceSet, { headers: { ...auth(alice), 'content-type': 'application/json' }, body: '' }), 400, 'invalid_request');
      });

      it('refuses a body over the limit: 413', async () => {
        const res = await request(s.app, 'POST', DEMO.resourceSet, { headers: auth(alice), body: { resource_scopes: ['view'], name: 'x'.repeat(70_000) } });
        assertError(res, 413, 'payload_too_large');
      });
    });

    describe('isolation', () => {
      let id: string;
      before(async () => {
        id = (await register(s, alice, { name: "Alice's album", resource_scopes: ['view'] })).json._id;
      });

      it("another owner's PAT at the same resource server sees nothing", async () => {
        assertError(await request(s.app, 'GET', item(id), { headers: auth(bob) }), 404, 'not_found');
        assertError(await request(s.app, 'PUT', item(id), { headers: auth(bob), body: { resource_scopes: ['view'] } }), 404, 'not_found');
        assertError(await request(s.app, 'DELETE', item(id), { headers: auth(bob) }), 404, 'not_found');
        assert.equal((await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(bob) })).json.includes(id), false);
      });

      it("the same owner's PAT at another resource server sees nothing", async () => {
        assertError(await request(s.app, 'GET', item(id), { headers: auth(aliceAtOther) }), 404, 'not_found');
        assertError(await request(s.app, 'PUT', item(id), { headers: auth(aliceAtOther), body: { resource_scopes: ['view'] } }), 404, 'not_found');
        assertError(await request(s.app, 'DELETE', item(id), { headers: auth(aliceAtOther) }), 404, 'not_found');
        const own = await register(s, aliceAtOther, { resource_scopes: ['read'] });
        assert.deepEqual((await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(aliceAtOther) })).json, [own.json._id]);
      });

      it('the resource survived every foreign attempt, unchanged', async () => {
        const res = await request(s.app, 'GET', item(id), { headers: auth(alice) });
        assert.equal(res.status, 200);
        assert.deepEqual(res.json, { _id: id, name: "Alice's album", resource_scopes: ['view'] });
        assert.ok((await request(s.app, 'GET', DEMO.resourceSet, { headers: auth(alice) })).json.includes(id));
      });
    });
  });
}
