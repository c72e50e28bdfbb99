/**
 * @module test/suite/long-lists
 * getMany with more ids than a statement may bind (SQLite: 32,766 variables; PostgreSQL: 65,535
 * parameters): an owner with a big account lists everything without an error.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { policy, resource, sorted } from './fixtures.ts';

export function longListTests(s: () => Store): void {
  describe('getMany with 70,000 ids', () => {
    it('finds the owner’s resources and policies wherever they sit in the list, and nothing else', async () => {
      const mine = Array.from({ length: 4 }, () => resource('l1', 'alice-id'));
      const theirs = resource('l1', 'bob-id');
      for (const r of [...mine, theirs]) await s().resources.insert(r);
      for (const r of mine) await s().policies.create(policy('l1', 'alice-id', r.id));
      const ids = Array.from({ length: 70_000 }, (_, i) => `unknown-${i}`);
      for (const [k, at] of [0, 600, 40_000, 69_999].entries()) ids[at] = mine[k]!.id;
      ids[35_000] = theirs.id;
      assert.deepEqual(sorted((await s().resources.getMany('l1', 'alice-id', ids)).map((r) => r.id)), sorted(mine.map((r) => r.id)));
      assert.deepEqual(sorted((await s().policies.getMany('l1', 'alice-id', ids)).map((p) => p.id)), sorted(mine.map((r) => r.id)));
    });
  });
}
