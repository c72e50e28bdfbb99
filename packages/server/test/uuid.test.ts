/** Ids: version 7 UUIDs that are unique, well formed and ordered by their millisecond. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { random, uuidv7 } from '../src/crypto/node-crypto.ts';

describe('uuidv7', () => {
  it('is a well-formed RFC 9562 version 7 UUID carrying the time', () => {
    const now = Date.UTC(2026, 10, 24, 12, 0, 0, 123);
    const id = uuidv7(now);
    assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    assert.equal(parseInt(id.replace(/-/g, '').slice(0, 12), 16), now);
  });

  it('is unique and sorts by time across milliseconds', () => {
    const ids = Array.from({ length: 5000 }, () => random.uuid());
    assert.equal(new Set(ids).size, ids.length);
    const a = uuidv7(1_000_000);
    const b = uuidv7(1_000_001);
    assert.ok(a < b);
  });
});
