/** @module test/suite/console — the lookups the account console needs: shares naming a person, users by e-mail. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { accessRequest, policy, user } from './fixtures.ts';

export function consoleTests(s: () => Store): void {
  describe('policies naming a subject across resources', () => {
    it('lists the policies of any owner in the realm naming exactly the subject, ordered by (id, owner), at most limit', async () => {
      await s().policies.create(policy('r1', 'alice', 'res-b', { permissions: [{ subject: 'bob', scopes: ['view'] }, { subject: 'carol', scopes: ['view'] }] }));
      await s().policies.create(policy('r1', 'dave', 'res-a', { permissions: [{ subject: 'bob', scopes: ['pay'], conditions: { expiresAt: 4_102_444_900 } }] }));
      await s().policies.create(policy('r1', 'carol', 'res-b', { resourceOwner: 'alice', permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('r1', 'alice', 'res-c', { permissions: [{ subject: 'carol', scopes: ['view'] }] }));
      await s().policies.create(policy('r2', 'alice', 'res-d', { permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      const keys = async (subject: string, limit = 10, realm = 'r1') => (await s().policies.listNamingSubject(realm, subject, limit)).map((p) => `${p.id}/${p.owner}`);
      assert.deepEqual(await keys('bob'), ['res-a/dave', 'res-b/alice', 'res-b/carol']);
      assert.deepEqual(await keys('bob', 2), ['res-a/dave', 'res-b/alice']);
      assert.deepEqual(await keys('bob', 0), []);
      assert.deepEqual(await keys('Bob'), []);
      assert.deepEqual(await keys('bob', 10, 'r2'), ['res-d/alice']);
      assert.deepEqual(await keys('bob', 10, 'r3'), []);
      // Whole policies come back, conditions and re-share owner included.
      const [first, , reshare] = await s().policies.listNamingSubject('r1', 'bob', 10);
      assert.deepEqual(first!.permissions, [{ subject: 'bob', scopes: ['pay'], conditions: { expiresAt: 4_102_444_900 } }]);
      assert.equal(reshare!.resourceOwner, 'alice');
      // Updates and deletes change who is named.
      const p = (await s().policies.get('r1', 'alice', 'res-b'))!;
      assert.equal(await s().policies.update({ ...p, rev: 'n', permissions: [{ subject: 'carol', scopes: ['view'] }] }, null), 'updated');
      assert.equal(await s().policies.delete('r1', 'dave', 'res-a'), true);
      assert.deepEqual(await keys('bob'), ['res-b/carol']);
    });
  });

  describe('access requests by requester', () => {
    it('lists the requests one party made to any owner in the realm, newest first, at most limit', async () => {
      const first = await s().accessRequests.upsertPending(accessRequest('r1', { id: 'a1', owner: 'alice-id', resourceId: 'res-1', requester: 'bob-id', createdAt: 100, updatedAt: 100 }));
      const second = await s().accessRequests.upsertPending(accessRequest('r1', { id: 'a2', owner: 'dave-id', resourceId: 'res-2', requester: 'bob-id', createdAt: 200, updatedAt: 200 }));
      await s().accessRequests.upsertPending(accessRequest('r1', { id: 'a3', owner: 'alice-id', resourceId: 'res-1', requester: 'carol-id', createdAt: 300, updatedAt: 300 }));
      await s().accessRequests.upsertPending(accessRequest('r2', { id: 'a4', owner: 'alice-id', resourceId: 'res-1', requester: 'bob-id', createdAt: 400, updatedAt: 400 }));
      assert.equal(await s().accessRequests.answer('r1', 'alice-id', first.id, 'denied', 150), true);
      const mine = await s().accessRequests.listByRequester('r1', 'bob-id', 10);
      assert.deepEqual(mine.map((r) => [r.id, r.status]), [[second.id, 'pending'], [first.id, 'denied']]);
      assert.deepEqual(mine[1], { ...first, status: 'denied', updatedAt: 150 });
      assert.deepEqual((await s().accessRequests.listByRequester('r1', 'bob-id', 1)).map((r) => r.id), [second.id]);
      assert.deepEqual(await s().accessRequests.listByRequester('r1', 'bob-id', 0), []);
      assert.deepEqual(await s().accessRequests.listByRequester('r1', 'BOB-ID', 10), []);
      assert.deepEqual((await s().accessRequests.listByRequester('r2', 'bob-id', 10)).map((r) => r.id), ['a4']);
      assert.deepEqual(await s().accessRequests.listByRequester('r3', 'bob-id', 10), []);
    });
  });

  describe('users by e-mail', () => {
    it('finds exact (case-sensitive) e-mail matches in the realm, ordered by username, at most limit', async () => {
      const bob = user('r1', { username: 'bob', email: 'bob@example.com' });
      await s().users.create(bob);
      await s().users.create(user('r1', { username: 'zed', email: 'shared@example.com' }));
      await s().users.create(user('r1', { username: 'amy', email: 'shared@example.com' }));
      await s().users.create(user('r1', { username: 'nomail', email: null }));
      await s().users.create(user('r2', { username: 'bob', email: 'bob@example.com' }));
      assert.deepEqual(await s().users.findByEmail('r1', 'bob@example.com', 2), [bob]);
      assert.deepEqual((await s().users.findByEmail('r1', 'shared@example.com', 2)).map((u) => u.username), ['amy', 'zed']);
      assert.deepEqual((await s().users.findByEmail('r1', 'shared@example.com', 1)).map((u) => u.username), ['amy']);
      assert.deepEqual(await s().users.findByEmail('r1', 'Bob@example.com', 2), []);
      assert.deepEqual(await s().users.findByEmail('r1', 'bob@example', 2), []);
      assert.deepEqual(await s().users.findByEmail('r3', 'bob@example.com', 2), []);
    });
  });
}
