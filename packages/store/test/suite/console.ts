/** @module test/suite/console — the lookups the account console needs beyond its pages (test/suite/keyset-pages): users by e-mail. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { user } from './fixtures.ts';

export function consoleTests(s: () => Store): void {
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
