/**
 * @module ports/crypto
 * Randomness, digests, password hashing, key generation and token signing, injected so the core stays free of I/O and
 * deterministic in tests.
 */
import type { SigningAlg } from '../model/realm.ts';

export interface Random {
  /** A 256-bit random string, base64url: the secret of tickets, codes, refresh tokens and PCTs (services/opaque-tokens), sessions. */
  token(): string;
  /** A unique id that sorts by creation time (UUID v7): resource ids, user ids, jti, grant ids. */
  uuid(): string;
}

export interface Digest {
  /** SHA-256, hex. How opaque tokens and client secrets are stored. */
  sha256(value: string): string;
  /** Constant-time equality of two strings. */
  equal(a: string, b: string): boolean;
}

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
}

/** A new signing key pair (JWKs carrying `kid` and `alg`; the public one `use: "sig"`). */
export interface KeyPair {
  kid: string;
  privateJwk: Record<string, unknown>;
  publicJwk: Record<string, unknown>;
}

export interface KeyGenerator {
  /** A fresh key pair for `alg` with a new unique `kid`: realm creation, import and key rotation. */
  generate(alg: SigningAlg): Promise<KeyPair>;
}

export interface Clock {
  /** Seconds since the epoch. */
  now(): number;
}

export interface Signer {
  /** Signs `claims` as a JWS with the realm's current key for `alg`; header carries `kid` and `typ`. */
  sign(realm: string, alg: SigningAlg, claims: Record<string, unknown>, typ: 'Bearer' | 'ID' | 'secevent+jwt'): Promise<string>;
  /**
   * Verifies a JWS issued by this realm (signature with a published key, `iss`); returns the claims, or
   * null when the token is not ours or its signature fails. Expiry is NOT checked here: callers decide
   * (an expired RPT may still be upgraded).
   */
  verify(realm: string, jwt: string): Promise<Record<string, unknown> | null>;
}
