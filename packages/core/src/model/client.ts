/** @module model/client — an OAuth client: a resource server, a requesting party's client, or the console. */
import type { Clock, Digest } from '../ports/crypto.ts';
import type { SigningAlg } from './realm.ts';

export const UMA_GRANT_TYPE = 'urn:ietf:params:oauth:grant-type:uma-ticket';

export type GrantType =
  | 'authorization_code'
  | 'client_credentials'
  | 'refresh_token'
  | 'password'
  | typeof UMA_GRANT_TYPE;

export interface Client {
  realm: string;
  clientId: string;
  /** SHA-256 (hex) of the client secret; null for a public client. */
  secretHash: string | null;
  /**
   * After a secret rotation, the SHA-256 (hex) of the secret it replaced and until when (seconds since
   * the epoch, exclusive) that one is still accepted. Absent when there is none.
   */
  previousSecret?: { hash: string; until: number };
  name: string;
  grantTypes: GrantType[];
  /** Exact-match redirect URIs for the authorization endpoint. */
  redirectUris: string[];
  /** Exact-match claims redirect URIs for the claims interaction endpoint (UMA Grant §3.3.2). */
  claimsRedirectUris: string[];
  /** Scopes the client pre-registered for the UMA grant (`ClientRegistered`, UMA Grant §3.3.4). */
  umaScopes: string[];
  /** Overrides the realm's signing algorithm for tokens issued to this client. */
  signingAlg: SigningAlg | null;
  /** Issue refresh tokens with RPTs when the requesting party is a user. */
  rptRefreshTokens: boolean;
  disabled: boolean;
  createdAt: number;
}

export function isPublicClient(c: Client): boolean {
  return c.secretHash === null;
}

/**
 * Whether `presentedHash` (the SHA-256 of a presented secret) is the client's current secret, or the
 * one it replaced while that is still in its grace period, compared in constant time. The
 * current secret is compared first: a client presenting it pays no more than before rotations existed.
 */
export function acceptsSecret(c: Client, presentedHash: string, clock: Clock, digest: Pick<Digest, 'equal'>): boolean {
  if (c.secretHash === null) return false;
  if (digest.equal(presentedHash, c.secretHash)) return true;
  const previous = c.previousSecret;
  return previous !== undefined && clock.now() < previous.until && digest.equal(presentedHash, previous.hash);
}
