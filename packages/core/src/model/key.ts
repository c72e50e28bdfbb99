/** @module model/key — a realm's signing key (JWK), published in JWKS. */
import type { SigningAlg } from './realm.ts';

export interface SigningKey {
  realm: string;
  kid: string;
  alg: SigningAlg;
  /** Private JWK (JSON). */
  privateJwk: Record<string, unknown>;
  /** Public JWK (JSON) with `kid`, `alg`, `use: "sig"`. */
  publicJwk: Record<string, unknown>;
  createdAt: number;
  /** Published from creation; signs only from this time on (seconds since epoch). */
  activeFrom: number;
  /** No longer signs or verifies after this time; null while current. */
  retiredAt: number | null;
}
