/**
 * @module test/suite/rate-limits
 * RateLimitStore: fixed-window counters (one upsert-increment, concurrent hits each counted once, on
 * one store and across two) and failed sign-ins per (realm, user name).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { T, unique } from './fixtures.ts';
import type { StoreHandle } from './fixtures.ts';

export function rateLimitTests(handle: () => StoreHandle): void {
  const store = (): Store => handle().store;

  describe('rate limits: counters', () => {
    it('counts hits per key and window, starting at 1', async () => {
      const a = unique('ip:a');
      const b = unique('client:b');
      assert.deepEqual(await store().rateLimits.hit([a], T, T + 60), [1]);
      assert.deepEqual(await store().rateLimits.hit([a, b], T, T + 60), [2, 1]);
      assert.deepEqual(await store().rateLimits.hit([b, a], T, T + 60), [2, 3]);
      assert.deepEqual(await store().rateLimits.hit([a], T + 60, T + 120), [1], 'a new window starts again at 1');
      assert.deepEqual(await store().rateLimits.hit([], T, T + 60), []);
    });

    it('reads a count without adding a hit', async () => {
      const a = unique('ip:peek');
      assert.equal(await store().rateLimits.count(a, T), 0);
      await store().rateLimits.hit([a], T, T + 60);
      await store().rateLimits.hit([a], T, T + 60);
      assert.equal(await store().rateLimits.count(a, T), 2);
      assert.equal(await store().rateLimits.count(a, T), 2, 'reading does not count');
      assert.equal(await store().rateLimits.count(a, T + 60), 0, 'another window');
    });

    it('counts a key given twice in one call once, and answers it at both positions', async () => {
      const a = unique('ip:dup');
      assert.deepEqual(await store().rateLimits.hit([a, a], T, T + 60), [1, 1]);
      assert.deepEqual(await store().rateLimits.hit([a], T, T + 60), [2]);
    });

    it('keys are exact: case, spaces and characters of other keys never mix', async () => {
      const base = unique('k');
      assert.deepEqual(await store().rateLimits.hit([base, base.toUpperCase(), `${base} `, `${base}%`, `${base}_`], T, T + 60), [1, 1, 1, 1, 1]);
    });

    it('purges counters whose window expired, and only those', async () => {
      const old = unique('old');
      const live = unique('live');
      await store().rateLimits.hit([old], T, T + 60);
      await store().rateLimits.hit([live], T + 60, T + 120);
      assert.equal(await store().rateLimits.purgeExpired(T + 61, 0), 1);
      assert.deepEqual(await store().rateLimits.hit([old, live], T + 60, T + 120), [1, 2]);
      assert.deepEqual(await store().rateLimits.hit([old], T, T + 60), [1], 'the purged counter starts again');
    });

    it('100 simultaneous hits of one key are counted exactly, on one store and across two', async (t) => {
      const h = handle();
      const second = h.openAnother ? await h.openAnother() : null;
      if (!second) t.diagnostic('one store only: this factory cannot open a second');
      try {
        const stores = second ? [h.store, second] : [h.store];
        const key = unique('burst');
        const other = unique('burst-other');
        const counts = await Promise.all(Array.from({ length: 100 }, (_, i) => stores[i % stores.length]!.rateLimits.hit([key, other], T, T + 60)));
        assert.deepEqual(counts.map((c) => c[0]).sort((x, y) => x! - y!), Array.from({ length: 100 }, (_, i) => i + 1), 'each hit saw its own count');
        assert.deepEqual(await h.store.rateLimits.hit([other], T, T + 60), [101]);
      } finally {
        await second?.close();
      }
    });
  });

  describe('rate limits: failed sign-ins', () => {
    it('counts failures per (realm, exact user name), resets after a quiet period, forgets on clear', async () => {
      const realm = unique('realm');
      assert.equal(await store().rateLimits.failures(realm, 'alice'), null);
      assert.deepEqual(await store().rateLimits.recordFailure(realm, 'alice', T, T - 3600), { failures: 1, lastFailureAt: T });
      assert.deepEqual(await store().rateLimits.recordFailure(realm, 'alice', T + 5, T + 5 - 3600), { failures: 2, lastFailureAt: T + 5 });
      assert.deepEqual(await store().rateLimits.failures(realm, 'alice'), { failures: 2, lastFailureAt: T + 5 });
      assert.equal(await store().rateLimits.failures(realm, 'Alice'), null, 'user names are exact');
      assert.equal(await store().rateLimits.failures(unique('realm'), 'alice'), null, 'other realms are apart');
      assert.deepEqual(await store().rateLimits.recordFailure(realm, 'alice', T + 10_000, T + 10_000 - 3600), { failures: 1, lastFailureAt: T + 10_000 }, 'a failure after the quiet period starts again');
      await store().rateLimits.clearFailures(realm, 'alice');
      assert.equal(await store().rateLimits.failures(realm, 'alice'), null);
      await store().rateLimits.clearFailures(realm, 'nobody');
    });

    it('purges failure records older than the reset horizon', async () => {
      const realm = unique('realm');
      await store().rateLimits.recordFailure(realm, 'old', T, 0);
      await store().rateLimits.recordFailure(realm, 'new', T + 100, 0);
      assert.equal(await store().rateLimits.purgeExpired(0, T + 50), 1);
      assert.equal(await store().rateLimits.failures(realm, 'old'), null);
      assert.equal((await store().rateLimits.failures(realm, 'new'))?.failures, 1);
    });

    it('50 simultaneous failures of one name are each counted', async () => {
      const h = handle();
      const second = h.openAnother ? await h.openAnother() : null;
      try {
        const stores = second ? [h.store, second] : [h.store];
        const realm = unique('realm');
        const results = await Promise.all(Array.from({ length: 50 }, (_, i) => stores[i % stores.length]!.rateLimits.recordFailure(realm, 'bob', T, T - 3600)));
        assert.deepEqual(results.map((r) => r.failures).sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i + 1));
      } finally {
        await second?.close();
      }
    });
  });
}
