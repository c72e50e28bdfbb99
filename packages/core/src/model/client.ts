/** @module model/client — an OAuth client: a resource server, a requesting party's client, or the console. */
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
