/**
 * @module test/fakes/crypto
 * The crypto ports on real Node crypto with a clock the test moves: SHA-256 and a constant-time
 * comparison, random tokens and UUID v7 ids in creation order, and a Signer holding one ES256 key that
 * signs compact JWS and verifies signature, key and `iss` (never expiry, as the port says).
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, timingSafeEqual, verify } from 'node:crypto';
import type { Clock, Digest, PasswordHasher, Random, Signer, SigningAlg } from '@steward/core';

/** A clock standing still at `now` (seconds) until the test moves it. */
export class FakeClock implements Clock {
  at: number;

  constructor(at: number) {
    this.at = at;
  }

  now(): number {
    return this.at;
  }

  advance(seconds: number): void {
    this.at += seconds;
  }
}

const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');

export const digest: Digest = {
  sha256,
  equal(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && timingSafeEqual(x, y);
  },
};

/** Random tokens; UUID v7 ids whose time part only moves forward, one millisecond per id. */
export function fakeRandom(clock: Clock): Random {
  let last = 0;
  return {
    token: () => randomBytes(32).toString('base64url'),
    uuid() {
      last = Math.max(last + 1, clock.now() * 1000);
      const t = last.toString(16).padStart(12, '0');
      const r = randomUUID();
      return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${r.slice(15, 18)}-${r.slice(19, 23)}-${r.slice(24)}`;
    },
  };
}

/** Not a password hash: a digest, enough for tests that never attack it. */
export const passwords: PasswordHasher = {
  hash: async (password) => `sha256$${sha256(password)}`,
  verify: async (hash, password) => digest.equal(hash, `sha256$${sha256(password)}`),
};

const b64json = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

export class FakeSigner implements Signer {
  readonly #keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  readonly #issuer: (realm: string) => string;

  constructor(issuer: (realm: string) => string) {
    this.#issuer = issuer;
  }

  async sign(realm: string, alg: SigningAlg, claims: Record<string, unknown>, typ: 'Bearer' | 'ID' | 'secevent+jwt'): Promise<string> {
    if (alg !== 'ES256') throw new Error(`the fake signer has no ${alg} key for realm ${realm}`);
    const input = `${b64json({ alg, kid: 'fake', typ })}.${b64json(claims)}`;
    return `${input}.${sign('sha256', Buffer.from(input), { key: this.#keys.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
  }

  async verify(realm: string, jwt: string): Promise<Record<string, unknown> | null> {
    const [h, p, s, ...rest] = jwt.split('.');
    if (h === undefined || p === undefined || s === undefined || rest.length > 0) return null;
    try {
      const header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>;
      if (header.alg !== 'ES256' || header.kid !== 'fake') return null;
      if (!verify('sha256', Buffer.from(`${h}.${p}`), { key: this.#keys.publicKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(s, 'base64url'))) return null;
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
      return (claims as Record<string, unknown>).iss === this.#issuer(realm) ? (claims as Record<string, unknown>) : null;
    } catch {
      return null;
    }
  }
}
