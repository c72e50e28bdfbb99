/**
 * Security: a group or an organization is not deleted while something still refers to it by name.
 * Policies name a group as `group:{name}` and an organization as `org:{id}`, and an organization owns
 * resources as `org:{id}`; a new group or organization given the same name would otherwise inherit
 * the shares and the resources of the deleted one. Deleting is refused (409) until the references
 * are gone, as for users and clients.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { dialects } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { admin, assertOAuthError, enableAdmin, ownerSession, putPolicy } from '../scopes/fixture.ts';
import { assertError, UmaWorld } from '../uma-grant/fixture.ts';

for (const dialect of dialects) {
  describe(`security: no deleted group or organization is inherited by a new one of the same name (${dialect})`, () => {
    let s: TestSteward;
    let w: UmaWorld;
    let alice: string;
    const ids: Record<string, string> = {};

    before(async () => {
      s = await startTestSteward(dialect);
      enableAdmin(s);
      w = new UmaWorld(s);
      for (const u of ['alice', 'bob', 'chris', 'dave']) ids[u] = await w.userId(u);
      alice = await ownerSession(s, 'alice');
    });
    after(async () => s?.close());

    it('a group named by a policy is not deleted, so a new group of that name cannot take over the share', async () => {
      const made = await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'auditors', visible: true });
      assert.equal(made.status, 201, made.body);
      assert.equal((await admin(s, 'PUT', `/admin/realms/demo/groups/${made.json.id}/members/${ids.bob}`)).status, 204);
      const r = await w.resource('alice', ['view']);
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'group:auditors', scopes: ['view'] }])).status, 201);

      assertOAuthError(await admin(s, 'DELETE', `/admin/realms/demo/groups/${made.json.id}`), 409, 'conflict', /group:auditors/);
      // Had it been deleted, a new "auditors" with Dave in it would have given Dave Alice's resource.
      assert.equal((await admin(s, 'POST', '/admin/realms/demo/groups', { name: 'auditors', visible: true })).status, 409);
      assertError(await w.grantAs('dave', { ticket: await w.ticket('alice', [[r, ['view']]]) }), 403, 'request_submitted');
      assert.equal((await admin(s, 'GET', `/admin/realms/demo/groups/${made.json.id}/members`)).json.includes(ids.bob), true);
    });

    it('an organization named by a policy is not deleted', async () => {
      assert.equal((await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'partner', name: 'Partner Ltd' })).status, 201);
      const r = await w.resource('alice', ['view']);
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'org:partner', scopes: ['view'] }])).status, 201);
      assertOAuthError(await admin(s, 'DELETE', '/admin/realms/demo/organizations/partner'), 409, 'conflict', /org:partner/);
      assert.equal((await admin(s, 'GET', '/admin/realms/demo/organizations/partner')).status, 200);
      // Once no policy names it, it goes.
      assert.equal((await putPolicy(s, 'demo', alice, 'alice', r, [{ subject: 'bob', scopes: ['view'] }])).status, 200);
      assert.equal((await admin(s, 'DELETE', '/admin/realms/demo/organizations/partner')).status, 204);
    });

    it('an organization that owns resources is not deleted, so a new organization of that id cannot own them', async () => {
      assert.equal((await admin(s, 'POST', '/admin/realms/demo/organizations', { id: 'holder', name: 'Holder Inc' })).status, 201);
      const now = s.deps.clock.now();
      await s.deps.store.resources.insert({ realm: 'demo', id: s.deps.random.uuid(), owner: 'org:holder', resourceServer: 'photoz-rs', name: 'Ledger', type: null, iconUri: null, description: null, scopes: ['view'], extra: {}, createdAt: now, updatedAt: now });
      assertOAuthError(await admin(s, 'DELETE', '/admin/realms/demo/organizations/holder'), 409, 'conflict', /Resources owned by org:holder/);
      assert.equal((await admin(s, 'GET', '/admin/realms/demo/organizations/holder')).status, 200);
    });
  });
}
