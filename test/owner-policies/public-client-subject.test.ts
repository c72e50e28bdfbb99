/**
 * @module test/owner-policies/public-client-subject
 * A public client cannot authenticate (UMA Grant §3.3.4: a client party is one that authenticated), so
 * "share with this app" would mean "share with whoever says they are it". Every write path that stores
 * policy subjects refuses `client:{id}` of a public client with 400 naming why: the policies API (a
 * primary policy and a re-share), Keycloak's `uma-policy` (`clients`), approving an access request whose
 * requesting party is that client, and a realm import. A confidential client is accepted as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { dialects } from '../../packages/store/test/databases.ts';
import { basic, bearer, DEMO, postForm, request, type Reply } from '../helpers/http.ts';
import type { TestSteward } from '../helpers/steward.ts';
import { admin, startAdminSteward } from '../admin-api/fixture.ts';
import { pendingUrl } from '../access-requests/fixture.ts';
import { assertCrest, policyUrl, registerResource, session, signIn, userId } from './fixture.ts';

const SPA = 'photoz-spa';
const REFUSAL = `Invalid UMA policy permission. 'client:${SPA}' is a public client: it cannot authenticate, so it cannot be a requesting party.`;
const UMA_POLICY = '/realms/demo/authz/protection/uma-policy';

for (const dialect of dialects) {
  describe(`policies may not name a public client (${dialect})`, () => {
    let s: TestSteward;
    const sessions: Record<string, string> = {};
    before(async () => {
      s = await startAdminSteward(dialect);
      for (const u of ['alice', 'bob']) sessions[u] = await signIn(s, u);
    });
    after(async () => s?.close());

    const put = (user: string, id: string, permissions: unknown[], headers: Record<string, string> = {}) =>
      request(s.app, 'PUT', policyUrl(user, id), { body: { policyId: id, permissions }, headers: session(sessions[user]!, headers) });
    const get = (user: string, id: string) => request(s.app, 'GET', policyUrl(user, id), { headers: session(sessions[user]!) });

    /** Alice's token at photoz-rs that may register resources and manage her policies (Keycloak's uma-policy). */
    async function aliceProtectionToken(): Promise<string> {
      const res = await postForm(s.app, DEMO.token, { grant_type: 'password', username: 'alice', password: DEMO.password, scope: 'openid uma_protection sharing' }, { authorization: basic(DEMO.rs.id, DEMO.rs.secret) });
      assert.equal(res.status, 200, res.body);
      return res.json.access_token;
    }

    it('the policies API refuses client:photoz-spa with 400 naming why, and stores nothing; a confidential client is accepted', async () => {
      const id = await registerResource(s, 'alice');
      assertCrest(await put('alice', id, [{ subject: `client:${SPA}`, scopes: ['view'] }], { 'if-none-match': '*' }), 400, 'Bad Request', REFUSAL);
      assertCrest(await get('alice', id), 404, 'Not Found');
      assertCrest(await put('alice', id, [{ subject: 'bob', scopes: ['view'] }, { subject: `client:${SPA}`, scopes: ['view'] }]), 400, 'Bad Request', REFUSAL);
      assertCrest(await get('alice', id), 404, 'Not Found');
      const ok = await put('alice', id, [{ subject: `client:${DEMO.client.id}`, scopes: ['view'] }]);
      assert.equal(ok.status, 201, ok.body);
      // An update adding the public client is refused too, and the stored policy stays as it was.
      assertCrest(await put('alice', id, [{ subject: `client:${DEMO.client.id}`, scopes: ['view'] }, { subject: `client:${SPA}`, scopes: ['view'] }], { 'if-match': '*' }), 400, 'Bad Request', REFUSAL);
      assert.deepEqual((await get('alice', id)).json.permissions, [{ subject: `client:${DEMO.client.id}`, scopes: ['view'] }]);
    });

    it('a re-share naming the public client is refused the same way', async () => {
      const id = await registerResource(s, 'alice');
      assert.equal((await put('alice', id, [{ subject: 'bob', scopes: ['view'] }])).status, 201);
      assertCrest(await put('bob', id, [{ subject: `client:${SPA}`, scopes: ['view'] }], { 'if-none-match': '*' }), 400, 'Bad Request', REFUSAL);
      assertCrest(await get('bob', id), 404, 'Not Found');
    });

    it('Keycloak\'s uma-policy refuses the public client in `clients`, on create and on replace', async () => {
      const token = await aliceProtectionToken();
      const id = await registerResource(s, 'alice');
      const refused = await request(s.app, 'POST', `${UMA_POLICY}/${id}`, { body: { name: 'the app', clients: [SPA], scopes: ['view'] }, headers: { authorization: bearer(token) } });
      assert.equal(refused.status, 400, refused.body);
      assert.equal(refused.json.error, 'invalid_request', refused.body);
      assert.equal(refused.json.error_description, REFUSAL);
      assertCrest(await get('alice', id), 404, 'Not Found');
      const created = await request(s.app, 'POST', `${UMA_POLICY}/${id}`, { body: { name: 'Bob', users: ['bob'], scopes: ['view'] }, headers: { authorization: bearer(token) } });
      assert.equal(created.status, 200, created.body);
      const replaced = await request(s.app, 'PUT', `${UMA_POLICY}/${id}`, { body: { ...created.json, clients: [SPA] }, headers: { authorization: bearer(token) } });
      assert.equal(replaced.status, 400, replaced.body);
      assert.equal(replaced.json.error_description, REFUSAL);
      assert.deepEqual((await get('alice', id)).json.permissions, [{ subject: 'bob', scopes: ['view'] }]);
    });

    it('approving an access request whose requesting party is the public client is refused, and writes no policy', async () => {
      const id = await registerResource(s, 'alice');
      const alice = await userId(s, 'alice');
      const now = s.deps.clock.now();
      // A public client is never a party by itself at the grant; a request naming it can only be stored data.
      const pending = await s.deps.store.accessRequests.upsertPending({ realm: 'demo', id: 'req-spa', owner: alice, resourceId: id, requester: SPA, clientId: SPA, scopes: ['view'], status: 'pending', createdAt: now, updatedAt: now });
      const res = await request(s.app, 'POST', pendingUrl('alice', pending.id, '?_action=approve'), { headers: session(sessions.alice!) });
      assertCrest(res, 400, 'Bad Request', REFUSAL);
      assertCrest(await get('alice', id), 404, 'Not Found');
      assert.equal((await s.deps.store.accessRequests.get('demo', alice, pending.id))?.status, 'pending');
    });

    it('a realm import whose policy names a public client is refused, naming the member; with a confidential client it imports', async () => {
      const exported = await admin(s, 'GET', '/admin/realms/demo/export');
      assert.equal(exported.status, 200, exported.body);
      const doc = exported.json;
      const alice = doc.users.find((u: { username: string }) => u.username === 'alice').id;
      const resource = { id: 'imported-album', owner: alice, resourceServer: DEMO.rs.id, name: 'Album', type: null, iconUri: null, description: null, scopes: ['view'], extra: {}, createdAt: 1, updatedAt: 1 };
      const policy = (subject: string) => ({ id: resource.id, owner: alice, rev: 'r1', permissions: [{ subject, scopes: ['view'] }], createdAt: 1, updatedAt: 1 });
      const withPolicy = (realm: string, subject: string) => ({ ...doc, realm: { ...doc.realm, id: realm }, resources: [...doc.resources, resource], policies: [...doc.policies.filter((p: { id: string }) => p.id !== resource.id), policy(subject)] });
      const index = doc.policies.filter((p: { id: string }) => p.id !== resource.id).length;
      const refused: Reply = await admin(s, 'POST', '/admin/realms/import', withPolicy('copy-refused', `client:${SPA}`));
      assert.equal(refused.status, 400, refused.body);
      assert.equal(refused.json.error, 'invalid_request');
      assert.equal(refused.json.error_description, `policies[${index}].permissions[0].subject: 'client:${SPA}' is a public client: it cannot authenticate, so it cannot be a requesting party`);
      assert.equal((await admin(s, 'GET', '/admin/realms/copy-refused')).status, 404);
      const imported = await admin(s, 'POST', '/admin/realms/import', withPolicy('copy-accepted', `client:${DEMO.client.id}`));
      assert.equal(imported.status, 201, imported.body);
    });
  });
}
