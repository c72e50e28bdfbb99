/**
 * @module crypto/keys
 * Realm signing keys: generation (ES256 and RS256 per realm), a per-process cache of imported keys,
 * and the core's Signer port on jose.
 */
import { createPrivateKey, createPublicKey, sign as nodeSign, verify as nodeVerify, type KeyObject } from 'node:crypto';
import { derToRaw, rawToDer } from './ecdsa-signature.ts';
import { exportJWK, generateKeyPair } from 'jose';
import { isJsonObject, MAX_TOKEN_LENGTH, type Clock, type KeyGenerator, type KeyPair, type Random, type Signer, type SigningAlg, type SigningKey, type Store } from '@steward/core';

/**
 * Signing and verification use Node's synchronous crypto with KeyObjects: for ES256 this is several
 * times cheaper per token than a WebCrypto round trip through the thread pool, and tokens are signed
 * on the hot path (every RPT). ECDSA signatures are in the JOSE (IEEE P1363) encoding.
 */
/** The JWS signature of `input` (ES256: DER from OpenSSL, turned into `r || s` here; see ecdsa-signature). */
function signJws(alg: SigningAlg, input: Buffer, key: KeyObject): Buffer {
  const signature = nodeSign('sha256', input, key);
  if (alg !== 'ES256') return signature;
  const raw = derToRaw(signature);
  if (!raw) throw new Error('ES256 signature in an unexpected form');
  return raw;
}

/** Whether `signature` (as in the JWS) is valid for `input`. */
function verifyJws(alg: SigningAlg, input: Buffer, key: KeyObject, signature: Buffer): boolean {
  const der = alg === 'ES256' ? rawToDer(signature) : signature;
  return der !== null && nodeVerify('sha256', input, key, der);
}

function b64json(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/** The core's KeyGenerator port on jose: ES256 (P-256) or RS256 (2048 bits) key pairs, `kid` a fresh UUID. */
export function joseKeyGenerator(random: Random): KeyGenerator {
  return {
    async generate(alg: SigningAlg): Promise<KeyPair> {
      const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
      const kid = random.uuid();
      return { kid, privateJwk: { ...(await exportJWK(privateKey)), kid, alg }, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
    },
  };
}

/** Whether a key is still published (and verifies) at `now`: not retired, or retiring later. */
function published(key: SigningKey, now: number): boolean {
  return key.retiredAt === null || key.retiredAt > now;
}

interface LoadedKey {
  record: SigningKey;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

interface RealmKeys {
  loadedAt: number;
  byKid: Map<string, LoadedKey>;
}

/** How long a process trusts its cached key list before reading it again (seconds). */
const KEY_CACHE_SECONDS = 10;
/** How long a verified token string is remembered, and how many are (signature checks are the hot path). */
const VERIFIED_CACHE_SECONDS = 30;
const VERIFIED_CACHE_SIZE = 10_000;
/** Least time between two reloads of a realm's keys caused by an unknown `kid` (seconds). */
const FORCED_RELOAD_SECONDS = 5;

export class KeyRing implements Signer {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #issuer: (realm: string) => string;
  readonly #cache = new Map<string, Promise<RealmKeys>>();
  readonly #forcedAt = new Map<string, number>();
  /**
   * Exact token strings whose signature this process verified recently, with their claims. A hit
   * skips only the signature check: callers still read the token's record (revocation, expiry).
   */
  readonly #verified = new Map<string, { at: number; claims: Record<string, unknown> }>();

  constructor(store: Store, clock: Clock, issuer: (realm: string) => string) {
    this.#store = store;
    this.#clock = clock;
    this.#issuer = issuer;
  }

  async #load(realm: string): Promise<RealmKeys> {
    const records = await this.#store.keys.list(realm, this.#clock.now());
    const byKid = new Map<string, LoadedKey>();
    for (const record of records) {
      const privateKey = createPrivateKey({ key: record.privateJwk as never, format: 'jwk' });
      const publicKey = createPublicKey({ key: record.publicJwk as never, format: 'jwk' });
      byKid.set(record.kid, { record, privateKey, publicKey });
    }
    return { loadedAt: this.#clock.now(), byKid };
  }

  async keys(realm: string, force = false): Promise<RealmKeys> {
    const cached = this.#cache.get(realm);
    if (cached && !force) {
      const value = await cached;
      if (this.#clock.now() - value.loadedAt < KEY_CACHE_SECONDS) return value;
    }
    const next = this.#load(realm);
    this.#cache.set(realm, next);
    next.catch(() => this.#cache.delete(realm));
    return next;
  }

  /**
   * An unknown `kid` may be a key another node just created, so the key list is read again, but at
   * most once every few seconds per realm: anyone can send a token with an invented `kid`.
   */
  #mayReload(realm: string): boolean {
    const now = this.#clock.now();
    const last = this.#forcedAt.get(realm);
    if (last !== undefined && now - last < FORCED_RELOAD_SECONDS) return false;
    this.#forcedAt.set(realm, now);
    return true;
  }

  /** Forget cached keys (after a rotation in this process). */
  invalidate(realm: string): void {
    this.#cache.delete(realm);
  }

  /**
   * The public JWKS of the realm: every key not yet retired, including a rotated key that does not sign
   * yet (so verifiers know it before they meet it) and the old key until its retirement.
   */
  async jwks(realm: string): Promise<{ keys: Record<string, unknown>[] }> {
    const { byKid } = await this.keys(realm);
    const now = this.#clock.now();
    return { keys: [...byKid.values()].filter((k) => published(k.record, now)).map((k) => k.record.publicJwk) };
  }

  async sign(realm: string, alg: SigningAlg, claims: Record<string, unknown>, typ: 'Bearer' | 'ID' | 'secevent+jwt'): Promise<string> {
    const { byKid } = await this.keys(realm);
    const now = this.#clock.now();
    let chosen: LoadedKey | undefined;
    for (const k of byKid.values()) {
      // The newest key whose activation has come signs; an older one stops signing from then on.
      if (k.record.alg === alg && k.record.activeFrom <= now && published(k.record, now) && (!chosen || k.record.activeFrom > chosen.record.activeFrom)) chosen = k;
    }
    // None in force yet: the clock went back (or the node that made the keys runs ahead). The first key
    // to come into force signs, rather than no token at all (a 500 on every grant until the clock catches up).
    if (!chosen) {
      for (const k of byKid.values()) if (k.record.alg === alg && published(k.record, now) && (!chosen || k.record.activeFrom < chosen.record.activeFrom)) chosen = k;
    }
    if (!chosen) throw new Error(`realm ${realm} has no ${alg} key`);
    const input = `${b64json({ alg, kid: chosen.record.kid, typ })}.${b64json(claims)}`;
    const signature = signJws(alg, Buffer.from(input), chosen.privateKey);
    return `${input}.${signature.toString('base64url')}`;
  }

  async verify(realm: string, jwt: string): Promise<Record<string, unknown> | null> {
    if (typeof jwt !== 'string' || jwt.length > MAX_TOKEN_LENGTH || jwt.split('.').length !== 3) return null;
    const cacheKey = `${realm}\u0000${jwt}`;
    const now = this.#clock.now();
    const hit = this.#verified.get(cacheKey);
    if (hit && now - hit.at < VERIFIED_CACHE_SECONDS) return { ...hit.claims };
    const claims = await this.#verifySignature(realm, jwt);
    if (claims) {
      if (this.#verified.size >= VERIFIED_CACHE_SIZE) {
        // Drop the oldest tenth: Map iteration order is insertion order.
        let n = VERIFIED_CACHE_SIZE / 10;
        for (const key of this.#verified.keys()) {
          this.#verified.delete(key);
          if (--n <= 0) break;
        }
      }
      this.#verified.set(cacheKey, { at: now, claims });
      return { ...claims };
    }
    return null;
  }

  async #verifySignature(realm: string, jwt: string): Promise<Record<string, unknown> | null> {
    const [h, p, sig] = jwt.split('.') as [string, string, string];
    let header: { alg?: unknown; kid?: unknown };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString('utf8'));
    } catch {
      return null;
    }
    if (typeof header !== 'object' || header === null || typeof header.kid !== 'string') return null;
    let key = (await this.keys(realm)).byKid.get(header.kid);
    if (!key && this.#mayReload(realm)) key = (await this.keys(realm, true)).byKid.get(header.kid);
    // The key decides the algorithm; a header naming another one (`none`, HS256…) is refused. A retired
    // key verifies nothing, even while an old cached list still holds it.
    if (!key || header.alg !== key.record.alg || !published(key.record, this.#clock.now())) return null;
    try {
      const ok = verifyJws(key.record.alg, Buffer.from(`${h}.${p}`), key.publicKey, Buffer.from(sig, 'base64url'));
      if (!ok) return null;
      const claims = JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as unknown;
      if (!isJsonObject(claims)) return null;
      const record = claims as Record<string, unknown>;
      if (record.iss !== this.#issuer(realm)) return null;
      return record;
    } catch {
      return null;
    }
  }
}
