/** digest.equal: true only for equal strings, whatever their lengths and characters. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { digest } from '../src/crypto/node-crypto.ts';

describe('digest.equal', () => {
  it('is true exactly for equal strings (same or different lengths, multi-byte characters)', () => {
    const hash = digest.sha256('secret');
    assert.equal(digest.equal(hash, digest.sha256('secret')), true);
    assert.equal(digest.equal(hash, digest.sha256('secreT')), false);
    assert.equal(digest.equal(hash, hash.slice(1)), false);
    assert.equal(digest.equal('', ''), true);
    assert.equal(digest.equal('é', 'e\u0301'), false);
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => digest.equal(a, b) === (a === b)));
    fc.assert(fc.property(fc.string(), (a) => digest.equal(a, a)));
  });
});
