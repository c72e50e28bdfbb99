/** Opaque tokens as {time-ordered id}.{secret}: the store key hides the secret and sorts by creation time; other strings keep the SHA-256 key. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { newOpaque, opaqueKey } from '../src/services/opaque-tokens.ts';

const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');
let clock = 0x0190_0000_0000;
/** UUID v7 from a clock that only moves forward (as the server's does, millisecond by millisecond). */
function uuidv7(): string {
  const t = (clock++).toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(15, 18)}-${r.slice(19, 23)}-${r.slice(24)}`;
}
const ports = { digest: { sha256, equal: (a: string, b: string) => a === b }, random: { token: () => randomBytes(32).toString('base64url'), uuid: uuidv7 } };

describe('opaque tokens', () => {
  it('are {32 hex}.{43 base64url}; the key is the id and the SHA-256 of the secret, never the secret', () => {
    const { token, key } = newOpaque(ports);
    assert.match(token, /^[0-9a-f]{32}\.[A-Za-z0-9_-]{43}$/);
    const [id, secret] = token.split('.') as [string, string];
    assert.equal(key, `${id}.${sha256(secret)}`);
    assert.ok(!key.includes(secret));
    assert.equal(opaqueKey(ports, token), key, 'a presented token finds its record');
  });

  it('keys of tokens made one after another sort in the order they were made', () => {
    const keys = Array.from({ length: 200 }, () => newOpaque(ports).key);
    assert.deepEqual([...keys].sort(), keys);
  });

  it('a string of any other form (an older token, a made-up one) is keyed by the SHA-256 of the whole string', () => {
    const legacy = randomBytes(32).toString('base64url');
    assert.equal(opaqueKey(ports, legacy), sha256(legacy));
    for (const other of ['', '.', 'ABCDEF0123456789abcdef0123456789.secretsecretsecret', `${'a'.repeat(32)}.short`, `${'a'.repeat(31)}.${'b'.repeat(43)}`, `${'a'.repeat(32)}.${'b'.repeat(129)}`, `${'a'.repeat(32)}.${'b'.repeat(40)}.x`]) {
      assert.equal(opaqueKey(ports, other), sha256(other), JSON.stringify(other));
    }
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const key = opaqueKey(ports, s);
        return key === sha256(s) || (/^[0-9a-f]{32}\.[A-Za-z0-9_-]{16,128}$/.test(s) && key === `${s.slice(0, 32)}.${sha256(s.slice(33))}`);
      }),
    );
  });
});
