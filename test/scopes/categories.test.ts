/**
 * The scope categories of ForgeRock's UMA scope model over HTTP, on both stores: a resource server's public configuration
 * (template scopes per type), typed registration (template by default, private scopes beyond it), and
 * each category where the scope model shows it — registered, template and private to the owner and the
 * resource server, template and own policy scopes to the requesting party, request and token scopes
 * through the grant, the RPT and introspection. The scope model's worked table is reproduced exactly.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { UMA_GRANT_TYPE } from '@steward/core';
import { addClient } from '../helpers/seed.ts';
import { dialects } from '../../packages/store/test/databases.ts';
import { bearer, DEMO, request } from '../helpers/http.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { payload, rptPermissions, UmaWorld } from '../uma-grant/fixture.ts';
import { admin, assertOAuthError, enableAdmin, ownerSession, publish, putPolicy, register, scopeView } from './fixture.ts';

/** The scope model's table: template a–d, e private; the policy allows a, c, d, e; the request is c (+ d asked by the client). */
const LETTERS = {
  scopes: { a: { description: 'Scope a' }, b: { description: 'Scope b' }, c: { description: 'Scope c', icon_uri: 'https://rs.example/c.png' }, d: { description: 'Scope d' } },
  types: { letters: { scopes: ['a', 'b', 'c', 'd'] }, bare: { scopes: [] } },
};
const APP = { id: 'letters-app', secret: 'letters-app-secret' };

for (const dialect of dialects) {
  describe(`scope categories (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let resourceId: string;
    let alice: string;
    let bob: string;

    before(async () => {
      s = await startTestSteward(dialect);
      enableAdmin(s);
      w = new UmaWorld(s);
      await addClient(s.deps, 'demo', { clientId: APP.id, secret: APP.secret, grantTypes: [UMA_GRANT_TYPE], umaScopes: ['d'] });
      await publish(s, 'demo', DEMO.rs.id, LETTERS);
      alice = await ownerSession(s, 'alice');
      bob = await ownerSession(s, 'bob');
      const res = await register(w, await w.pat('alice'), { name: 'Letters', type: 'letters', resource_scopes: ['a', 'b', 'c', 'd', 'e'] });
      assert.equal(res.status, 201, res.body);
      resourceId = res.json._id;
      const shared = await putPolicy(s, 'demo', alice, 'alice', resourceId, [{ subject: 'bob', scopes: ['a', 'c', 'd', 'e'] }]);
      assert.ok(shared.status === 200 || shared.status === 201, shared.body);
    });
    after(async () => s?.close());

    it('publishes the configuration read-only in the scope model\'s shape, to anyone; 404 for a resource server without one', async () => {
      const res = await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${DEMO.rs.id}/configuration`);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(res.json, LETTERS);
      assert.equal((await request(s.app, 'PUT', `/realms/demo/authz/resource-servers/${DEMO.rs.id}/configuration`, { body: LETTERS })).status, 404);
      assertOAuthError(await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${DEMO.client.id}/configuration`), 404, 'not_found', /photoz-client has published no configuration/);
      assert.deepEqual((await admin(s, 'GET', `/admin/realms/demo/resource-servers/${DEMO.rs.id}/configuration`)).json, LETTERS);
    });

    it('registered, template and private scopes: to the resource server (PAT) and to the owner, with every subject\'s policy scopes', async () => {
      const rs = await request(s.app, 'GET', `/realms/demo/authz/protection/resource_set/${resourceId}/scopes`, { headers: { authorization: bearer(await w.pat('alice')) } });
      assert.equal(rs.status, 200, rs.body);
      assert.deepEqual(rs.json, { registered: ['a', 'b', 'c', 'd', 'e'], template: ['a', 'b', 'c', 'd'], private: ['e'] });
      const owner = await scopeView(s, 'demo', alice, 'alice', resourceId);
      assert.equal(owner.status, 200, owner.body);
      assert.deepEqual(owner.json, { role: 'owner', registered: ['a', 'b', 'c', 'd', 'e'], template: ['a', 'b', 'c', 'd'], private: ['e'], policy: [{ subject: 'bob', scopes: ['a', 'c', 'd', 'e'] }] });
      // Another owner's PAT does not see it.
      assert.equal((await request(s.app, 'GET', `/realms/demo/authz/protection/resource_set/${resourceId}/scopes`, { headers: { authorization: bearer(await w.pat('bob')) } })).status, 404);
    });

    it('the requesting party sees template and its own policy scopes, never registered or private as such; others see nothing', async () => {
      const view = await scopeView(s, 'demo', bob, 'bob', resourceId);
      assert.equal(view.status, 200, view.body);
      assert.deepEqual(view.json, { role: 'requesting_party', template: ['a', 'b', 'c', 'd'], policy: ['a', 'c', 'd', 'e'] });
      const chris = await ownerSession(s, 'chris');
      assert.equal((await scopeView(s, 'demo', chris, 'chris', resourceId)).status, 404);
      // Bob cannot read Alice's view.
      assert.equal((await scopeView(s, 'demo', bob, 'alice', resourceId)).status, 403);
    });

    it('a private scope not granted stays unknown to the requesting party', async () => {
      const res = await register(w, await w.pat('alice'), { name: 'Letters 2', type: 'letters', resource_scopes: ['a', 'secret'] });
      assert.equal(res.status, 201, res.body);
      const id = res.json._id;
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', id, [{ subject: 'bob', scopes: ['a'] }])).status, 201);
      const view = await scopeView(s, 'demo', bob, 'bob', id);
      assert.deepEqual(view.json, { role: 'requesting_party', template: ['a', 'b', 'c', 'd'], policy: ['a'] });
      assert.ok(!view.body.includes('secret'));
    });

    it('request and token scopes: ticket c plus the client\'s d give the request c, d; the RPT and introspection hold c, d', async () => {
      const ticket = await w.ticket('alice', [[resourceId, ['c']]]);
      const res = await w.grantAs('bob', { ticket, scope: 'd' }, APP);
      assert.equal(res.status, 200, res.body);
      assert.deepEqual(rptPermissions(res.json.access_token), [[resourceId, ['c', 'd']]]);
      assert.equal(payload(res.json.access_token).scope, undefined);
      const seen = await w.introspect(res.json.access_token);
      assert.deepEqual(seen.json.permissions.map((p: any) => [p.resource_id, p.resource_scopes]), [[resourceId, ['c', 'd']]]);
      // A request the policy allows only in part: b is not bob's, so only c is in the token.
      const partial = await w.grantAs('bob', { ticket: await w.ticket('alice', [[resourceId, ['b', 'c']]]) }, APP);
      assert.deepEqual(rptPermissions(partial.json.access_token), [[resourceId, ['c']]]);
    });

    it('a typed resource without scopes gets its type\'s template scopes; listed scopes stand as registered', async () => {
      const pat = await w.pat('alice');
      const plain = await register(w, pat, { name: 'Template only', type: 'letters' });
      assert.equal(plain.status, 201, plain.body);
      assert.deepEqual(plain.json.resource_scopes, ['a', 'b', 'c', 'd']);
      const empty = await register(w, pat, { name: 'Empty list', type: 'letters', resource_scopes: [] });
      assert.deepEqual(empty.json.resource_scopes, ['a', 'b', 'c', 'd']);
      const subset = await register(w, pat, { name: 'Subset', type: 'letters', resource_scopes: ['a', 'x'] });
      assert.deepEqual(subset.json.resource_scopes, ['a', 'x']);
      // A replacement without scopes takes the template again.
      const put = await request(s.app, 'PUT', `/realms/demo/authz/protection/resource_set/${subset.json._id}`, { headers: { authorization: bearer(pat) }, body: { name: 'Subset', type: 'letters' } });
      assert.deepEqual(put.json.resource_scopes, ['a', 'b', 'c', 'd']);
    });

    it('bad input: unknown type, private scope named like a published one, empty list for a type without template, undefined template scope', async () => {
      const pat = await w.pat('alice');
      assertOAuthError(await register(w, pat, { type: 'nonesuch' }), 400, 'invalid_request', /Unknown resource type 'nonesuch' for resource server photoz-rs \(its types: bare, letters\)/);
      assertOAuthError(await register(w, pat, { type: 'bare', resource_scopes: ['a'] }), 400, 'invalid_request', /Scope 'a' is published by resource server photoz-rs but is not a template scope of type 'bare'/);
      assertOAuthError(await register(w, pat, { type: 'bare' }), 400, 'invalid_request', /Resource type 'bare' has no template scopes: resource_scopes must name at least one scope/);
      assertOAuthError(await register(w, pat, { type: 'bare', resource_scopes: [] }), 400, 'invalid_request', /has no template scopes/);
      // Without a type, scopes are required as before.
      assertOAuthError(await register(w, pat, { name: 'untyped' }), 400, 'invalid_request', /resource_scopes is required/);
      const bad = await admin(s, 'PUT', `/admin/realms/demo/resource-servers/${DEMO.rs.id}/configuration`, { scopes: { a: { description: 'A' } }, types: { t: { scopes: ['a', 'zz'] } } });
      assertOAuthError(bad, 400, 'invalid_request', /Type 't' names template scope 'zz', which the configuration's scopes do not define/);
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/resource-servers/${DEMO.rs.id}/configuration`, { scopes: { 'two words': { description: 'x' } } }), 400, 'invalid_request', /Scope name 'two words' is not allowed/);
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/resource-servers/${DEMO.rs.id}/configuration`, { scopes: {}, extra: 1 }), 400, 'invalid_request', /Unknown member\W+extra/);
      assertOAuthError(await admin(s, 'PUT', `/admin/realms/demo/resource-servers/nobody/configuration`, LETTERS), 404, 'not_found', /Resource server nobody not found/);
      // The refused writes left the configuration as it was.
      assert.deepEqual((await request(s.app, 'GET', `/realms/demo/authz/resource-servers/${DEMO.rs.id}/configuration`)).json, LETTERS);
    });

    it('a resource server without a configuration keeps free-text types', async () => {
      await addClient(s.deps, 'demo', { clientId: 'free-rs', secret: 'free-rs-secret', grantTypes: ['client_credentials'] });
      const token = await request(s.app, 'POST', '/realms/demo/protocol/openid-connect/token', { headers: { authorization: `Basic ${Buffer.from('free-rs:free-rs-secret').toString('base64')}`, 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=client_credentials' });
      const res = await register(w, token.json.access_token, { type: 'anything', resource_scopes: ['download'] });
      assert.equal(res.status, 201, res.body);
      assert.equal(res.json.type, 'anything');
    });
  });
}
