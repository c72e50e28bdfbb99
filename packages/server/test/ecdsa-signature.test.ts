/** ES256 signatures converted between DER (OpenSSL) and the JWS form `r || s` (RFC 7518 §3.4), checked against Node's own conversion. */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { derToRaw, rawToDer } from '../src/crypto/ecdsa-signature.ts';

const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });

describe('ES256 signature forms', () => {
  it('DER → r||s gives what Node gives for ieee-p1363, and r||s → DER verifies, over 2,000 signatures', () => {
    for (let i = 0; i < 2000; i++) {
      const data = randomBytes(1 + (i % 200));
      const der = sign('sha256', data, privateKey);
      const raw = derToRaw(der)!;
      assert.equal(raw.length, 64);
      assert.ok(verify('sha256', data, { key: publicKey, dsaEncoding: 'ieee-p1363' }, raw), 'Node reads our r||s');
      const nodeRaw = sign('sha256', data, { key: privateKey, dsaEncoding: 'ieee-p1363' });
      assert.ok(verify('sha256', data, publicKey, rawToDer(nodeRaw)!), 'OpenSSL reads our DER of Node’s r||s');
      assert.deepEqual(rawToDer(raw), der, 'the round trip is exact');
    }
  });

  it('short r or s (leading zero bytes) are padded and unpadded', () => {
    const raw = Buffer.concat([Buffer.alloc(31), Buffer.of(5), Buffer.of(0x80), randomBytes(31)]);
    const der = rawToDer(raw)!;
    assert.deepEqual(der.subarray(0, 5), Buffer.of(0x30, der.length - 2, 0x02, 0x01, 0x05));
    assert.deepEqual(derToRaw(der), raw);
  });

  it('refuses what is not a P-256 signature', () => {
    for (const bad of [Buffer.alloc(0), Buffer.alloc(63), Buffer.alloc(65)]) assert.equal(rawToDer(bad), null);
    const der = sign('sha256', Buffer.from('x'), privateKey);
    for (const bad of [der.subarray(0, der.length - 1), Buffer.concat([der, Buffer.of(0)]), Buffer.from([0x31, ...der.subarray(1)]), Buffer.of(0x30, 6, 0x02, 0x01, 0x01, 0x03, 0x01, 0x01), Buffer.of(0x30, 38, 0x02, 0x21, ...Buffer.alloc(33, 1), 0x02, 0x01, 0x01)]) {
      assert.equal(derToRaw(bad), null, bad.toString('hex'));
    }
  });
});
