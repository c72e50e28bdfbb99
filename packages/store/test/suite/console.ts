/** @module test/suite/console — the lookups the account console needs: shares naming a person, users by e-mail. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { policy, user } from './fixtures.ts';

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
