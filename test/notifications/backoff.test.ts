/** Retry waits: exponential from the base, capped, jittered within the upper half (no database). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { retryDelay } from '../../packages/server/src/notify/worker.ts';

describe('retry delay', () => {
  it('doubles per attempt from the base, up to the cap', () => {
    const top = () => 1; // the largest jitter
    assert.deepEqual([1, 2, 3, 4, 5, 6].map((n) => retryDelay(n, 1000, 10_000, top)), [1000, 2000, 4000, 8000, 10_000, 10_000]);
    assert.equal(retryDelay(500, 1000, 10_000, top), 10_000, 'no overflow on many attempts');
  });

  it('jitters within the upper half of the wait', () => {
    assert.equal(retryDelay(3, 1000, 60_000, () => 0), 2000);
    for (let i = 0; i < 200; i++) {
      const d = retryDelay(3, 1000, 60_000);
      assert.ok(d >= 2000 && d <= 4000, String(d));
    }
  });
});
