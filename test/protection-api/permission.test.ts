/** The permission endpoint (Fed Authz §4) over HTTP, on both stores: one ticket, stored hashed; every refusal. */
import { opaqueKey } from '@steward/core';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { addOtherResourceServer, assertError, auth, OTHER_RS, register, tokenFor } from './fixture.ts';

for (const dialect of dialects) {
  describe(`permission endpoint (${dialect})`, () => {
    let s: TestSteward;
    let alice: string;
    let aliceId: string;
    let bob: string;
    let aliceAtOther: string;
    let album: string;
    let photo: string;

    const ask = (pat: string, body: unknown) => request(s.app, 'POST', DEMO.permission, { headers: auth(pat), body });
    /** Redeems the ticket's stored record by hash, as the UMA grant would. */
    const consume = (ticket: string) => s.deps.store.tickets.consume('demo', opaqueKey(s.deps, ticket), s.deps.clock.now());

    before(async () => {
      s = await startTestSteward(dialect);
      await addOtherResourceServer(s);
      alice = await tokenFor(s, 'alice');
      aliceId = (await s.deps.store.users.findByUsername('demo', 'alice'))!.id;
      bob = await tokenFor(s, 'bob');
      aliceAtOther = await tokenFor(s, 'alice', 'uma_protection', OTHER_RS);
      album = (await register(s, alice, { name: 'Album', resource_scopes: ['view', 'delete', 'share'] })).json._id;
      photo = (await register(s, alice, { name: 'Photo', resource_scopes: ['view', 'print'] })).json._id;
    });
    after(async () => s?.close());

    it('issues one ticket for one permission: 201 {ticket} ({time-ordered id}.{secret}), its secret stored only as its SHA-256', async () => {
      const res = await ask(alice, { resource_id: album, resource_scopes: ['view', 'delete'] });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual(Object.keys(res.json), ['ticket']);
      const ticket: string = res.json.ticket;
      assert.match(ticket, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
      assert.match(String(res.headers['cache-control']), /no-store/);
      const now = s.deps.clock.now();
      assert.equal(await s.deps.store.tickets.consume('demo', ticket, now), null, 'the ticket string is not a key of the store');
      const record = await consume(ticket);
      assert.ok(record);
      assert.equal(record.hash, opaqueKey(s.deps, ticket));
      const [id, secret] = ticket.split('.') as [string, string];
      assert.equal(record.hash, `${id}.${s.deps.digest.sha256(secret)}`, 'the store keeps the id and the SHA-256 of the secret, never the secret');
      assert.equal(record.owner, aliceId);
      assert.equal(record.resourceServer, DEMO.rs.id);
      assert.deepEqual(record.permissions, [{ resourceId: album, scopes: ['view', 'delete'] }]);
      assert.deepEqual(record.claims, {});
      const realm = await s.deps.store.realms.get('demo');
      assert.equal(record.expiresAt - record.createdAt, realm!.settings.ticketLifetime);
    });

    it('issues ONE ticket for an array, merging a resource named twice', async () => {
      const res = await ask(alice, [
        { resource_id: album, resource_scopes: ['view'] },
        { resource_id: photo, resource_scopes: [] },
        { resource_id: album, resource_scopes: ['share', 'view'] },
      ]);
      assert.equal(res.status, 201, res.body);
      const record = await consume(res.json.ticket);
      assert.deepEqual(record?.permissions, [
        { resourceId: album, scopes: ['view', 'share'] },
        { resourceId: photo, scopes: [] },
      ]);
    });

    it('accepts a permission with no scopes', async () => {
      const res = await ask(alice, { resource_id: photo, resource_scopes: [] });
      assert.equal(res.status, 201, res.body);
      assert.deepEqual((await consume(res.json.ticket))?.permissions, [{ resourceId: photo, scopes: [] }]);
    });

    it('issues a fresh ticket every time', async () => {
      const a = await ask(alice, { resource_id: photo, resource_scopes: ['view'] });
      const b = await ask(alice, { resource_id: photo, resource_scopes: ['view'] });
      assert.notEqual(a.json.ticket, b.json.ticket);
    });

    it('refuses an unknown resource: 400 invalid_resource_id', async () => {
      assertError(await ask(alice, { resource_id: '00000000-0000-0000-0000-000000000000', resource_scopes: ['view'] }), 400, 'invalid_resource_id');
      assertError(await ask(alice, [{ resource_id: album, resource_scopes: ['view'] }, { resource_id: 'nope', resource_scopes: [] }]), 400, 'invalid_resource_id');
    });

    it("refuses another owner's resource: 400 invalid_resource_id", async () => {
      assertError(await ask(bob, { resource_id: album, resource_scopes: ['view'] }), 400, 'invalid_resource_id');
    });

    it("refuses the owner's resource of another resource server: 400 invalid_resource_id", async () => {
      assertError(await ask(aliceAtOther, { resource_id: album, resource_scopes: [] }), 400, 'invalid_resource_id');
    });

    it('refuses a deleted resource: 400 invalid_resource_id', async () => {
      const gone = (await register(s, alice, { resource_scopes: ['view'] })).json._id;
      assert.equal((await request(s.app, 'DELETE', `${DEMO.resourceSet}/${gone}`, { headers: auth(alice) })).status, 204);
      assertError(await ask(alice, { resource_id: gone, resource_scopes: ['view'] }), 400, 'invalid_resource_id');
    });

    it('refuses a scope the resource does not offer: 400 invalid_scope', async () => {
      assertError(await ask(alice, { resource_id: photo, resource_scopes: ['view', 'delete'] }), 400, 'invalid_scope', /delete/);
      assertError(await ask(alice, [{ resource_id: album, resource_scopes: ['delete'] }, { resource_id: photo, resource_scopes: ['share'] }]), 400, 'invalid_scope', /share/);
      assertError(await ask(alice, { resource_id: album, resource_scopes: ['VIEW'] }), 400, 'invalid_scope', /VIEW/);
    });

    const malformed: Array<[string, unknown, RegExp]> = [
      ['a missing resource_id', { resource_scopes: ['view'] }, /^resource_id is required/],
      ['a missing resource_scopes', { resource_id: 'x' }, /^resource_scopes is required/],
      ['a number resource_id', { resource_id: 7, resource_scopes: [] }, /^resource_id must be a string/],
      ['an empty resource_id', { resource_id: '', resource_scopes: [] }, /^resource_id must not be empty/],
      ['a NUL in resource_id', { resource_id: 'a\u0000b', resource_scopes: [] }, /^resource_id must not contain NUL/],
      ['a resource_id over 256 characters', { resource_id: 'x'.repeat(257), resource_scopes: [] }, /^resource_id must be at most 256/],
      ['resource_scopes as a string', { resource_id: 'x', resource_scopes: 'view' }, /^resource_scopes must be an array/],
      ['a number scope', { resource_id: 'x', resource_scopes: [1] }, /^resource_scopes\[0\] must be a string/],
      ['an empty scope', { resource_id: 'x', resource_scopes: ['view', ''] }, /^resource_scopes\[1\] must not be empty/],
      ['an empty array', [], /must not be empty/],
      ['an array over 100', Array.from({ length: 101 }, () => ({ resource_id: 'x', resource_scopes: [] })), /At most 100/],
      ['an array element that is not an object', [{ resource_id: 'x', resource_scopes: [] }, 'x'], /^permission \[1\] must be a JSON object/],
      ['a bad member in an array element', [{ resource_id: 'x', resource_scopes: [] }, { resource_id: 'x' }], /^\[1\]\.resource_scopes is required/],
      ['null', null, /must be a JSON object/],
      ['a number', 3, /must be a JSON object/],
    ];
    for (const [label, body, pattern] of malformed) {
      it(`refuses ${label}: 400 invalid_request`, async () => {
        const res = await request(s.app, 'POST', DEMO.permission, { headers: { ...auth(alice), 'content-type': 'application/json' }, body: JSON.stringify(body) });
        assertError(res, 400, 'invalid_request', pattern);
      });
    }

    it('accepts exactly 100 permissions', async () => {
      const res = await ask(alice, Array.from({ length: 100 }, () => ({ resource_id: album, resource_scopes: ['view'] })));
      assert.equal(res.status, 201, res.body);
    });

    it('refuses malformed JSON and bodies that are not JSON: 400 invalid_request', async () => {
      const json = { ...auth(alice), 'content-type': 'application/json' };
      assertError(await request(s.app, 'POST', DEMO.permission, { headers: json, body: '{"resource_id":' }), 400, 'invalid_request');
      assertError(await request(s.app, 'POST', DEMO.permission, { headers: { ...auth(alice), 'content-type': 'application/x-www-form-urlencoded' }, body: `resource_id=${album}` }), 400, 'invalid_request');
      assertError(await request(s.app, 'POST', DEMO.permission, { headers: { ...auth(alice), 'content-type': 'text/plain' }, body: 'hello' }), 400, 'invalid_request');
      assertError(await request(s.app, 'POST', DEMO.permission, { headers: auth(alice) }), 400, 'invalid_request');
    });

    it('requires a PAT: 401 without one, 403 with a token lacking uma_protection', async () => {
      const none = await request(s.app, 'POST', DEMO.permission, { body: { resource_id: album, resource_scopes: [] } });
      assertError(none, 401, 'invalid_token');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="demo"');
      const userToken = await tokenFor(s, 'alice', 'openid');
      assertError(await ask(userToken, { resource_id: album, resource_scopes: [] }), 403, 'insufficient_scope');
    });

    it('answers other methods with 405', async () => {
      const res = await request(s.app, 'GET', DEMO.permission, { headers: auth(alice) });
      assertError(res, 405, 'unsupported_method_type');
      assert.equal(res.headers.allow, 'POST');
    });
  });
}
