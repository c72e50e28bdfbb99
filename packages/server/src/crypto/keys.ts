/**
 * @module crypto/keys
 * Realm signing keys: generation (ES256 and RS256 per realm), a per-process cache of imported keys,
 * and the core's Signer port on jose.
 */
import { CompactSign, compactVerify, decodeProtectedHeader, exportJWK, generateKeyPair, importJWK } from 'jose';
import type { webcrypto } from 'node:crypto';
import type { Clock, Random, Signer, SigningAlg, SigningKey, Store } from '@steward/core';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

export async function generateSigningKey(realm: string, alg: SigningAlg, random: Random, now: number): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'RS256' ? { modulusLength: 2048 } : {}) });
  const kid = random.uuid();
  const pub = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const priv = { ...(await exportJWK(privateKey)), kid, alg };
  return { realm, kid, alg, privateJwk: priv, publicJwk: pub, createdAt: now, activeFrom: now, retiredAt: null };
}

interface LoadedKey {
  record: SigningKey;
  privateKey: webcrypto.CryptoKey;
  publicKey: webcrypto.CryptoKey;
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

export class KeyRing implements Signer {
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #issuer: (realm: string) => string;
  readonly #cache = new Map<string, Promise<RealmKeys>>();
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
    const records = await this.#store.keys.list(realm);
    const byKid = new Map<string, LoadedKey>();
    for (const record of records) {
      const privateKey = (await importJWK(record.privateJwk, record.alg)) as webcrypto.CryptoKey;
      const publicKey = (await importJWK(record.publicJwk, record.alg)) as webcrypto.CryptoKey;
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

  /** Forget cached keys (after a rotation in this process). */
  invalidate(realm: string): void {
    this.#cache.delete(realm);
  }

  /** The public JWKS of the realm. */
  async jwks(realm: string): Promise<{ keys: Record<string, unknown>[] }> {
    const { byKid } = await this.keys(realm);
    return { keys: [...byKid.values()].map((k) => k.record.publicJwk) };
  }

  async sign(realm: string, alg: SigningAlg, claims: Record<string, unknown>, typ: 'Bearer' | 'ID'): Promise<string> {
    const { byKid } = await this.keys(realm);
    const now = this.#clock.now();
    let chosen: LoadedKey | undefined;
    for (const k of byKid.values()) {
      if (k.record.alg === alg && k.record.activeFrom <= now && (!chosen || k.record.activeFrom > chosen.record.activeFrom)) chosen = k;
    }
    if (!chosen) throw new Error(`realm ${realm} has no active ${alg} key`);
    return new CompactSign(encoder.encode(JSON.stringify(claims)))
      .setProtectedHeader({ alg, kid: chosen.record.kid, typ })
      .sign(chosen.privateKey);
  }

  async verify(realm: string, jwt: string): Promise<Record<string, unknown> | null> {
    if (typeof jwt !== 'string' || jwt.length > 16384 || jwt.split('.').length !== 3) return null;
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
    let kid: unknown;
    try {
      kid = decodeProtectedHeader(jwt).kid;
    } catch {
      return null;
    }
    if (typeof kid !== 'string') return null;
    let key = (await this.keys(realm)).byKid.get(kid);
    if (!key) key = (await this.keys(realm, true)).byKid.get(kid);
    if (!key) return null;
    try {
      const { payload } = await compactVerify(jwt, key.publicKey, { algorithms: [key.record.alg] });
      const claims = JSON.parse(decoder.decode(payload)) as unknown;
      if (typeof claims !== 'object' || claims === null || Array.isArray(claims)) return null;
      const record = claims as Record<string, unknown>;
      if (record.iss !== this.#issuer(realm)) return null;
      return record;
    } catch {
      return null;
    }
  }
}
