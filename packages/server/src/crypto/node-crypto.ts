/** @module crypto/node-crypto — the core's Random, Digest, Clock and PasswordHasher ports on Node's crypto and argon2id. */
import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { hash as argonHash, verify as argonVerify } from '@node-rs/argon2';
import type { Clock, Digest, PasswordHasher, Random } from '@steward/core';

/**
 * A version 7 UUID (RFC 9562): 48 bits of milliseconds, then 74 random bits (taken from Node's pooled
 * v4 generator). Ids that grow with time keep database index inserts at the right edge of the B-tree,
 * which roughly halves the write cost of a token record; the price is that an id reveals when it was
 * made, which tokens (`iat`) and resources (`created`) do not hide anyway.
 */
export function uuidv7(now = Date.now()): string {
  const t = now.toString(16).padStart(12, '0');
  const r = randomUUID();
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(15, 18)}-${r.slice(19, 23)}-${r.slice(24)}`;
}

export const random: Random = {
  token: () => randomBytes(32).toString('base64url'),
  uuid: () => uuidv7(),
};

export const digest: Digest = {
  sha256: (value) => createHash('sha256').update(value).digest('hex'),
  equal(a, b) {
    // Strings of one length (a secret's hash against the stored hash: the common case) are compared
    // byte by byte in constant time; otherwise their SHA-256, so that the time says nothing either.
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    if (x.length === y.length) return timingSafeEqual(x, y);
    return timingSafeEqual(createHash('sha256').update(x).digest(), createHash('sha256').update(y).digest()) && false;
  },
};

export const systemClock: Clock = { now: () => Math.floor(Date.now() / 1000) };

/** argon2id at OWASP's minimum (m = 19 MiB, t = 2, p = 1). */
export const passwords: PasswordHasher = {
  hash: (password) => argonHash(password, { memoryCost: 19456, timeCost: 2, parallelism: 1 }),
  async verify(hash, password) {
    try {
      return await argonVerify(hash, password);
    } catch {
      return false;
    }
  },
};
