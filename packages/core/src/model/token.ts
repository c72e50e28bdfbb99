/** @module model/token — the record kept for every issued token, so introspection and revocation are exact. */
import type { GrantedPermission } from './permission.ts';

/**
 * `access`: a JWT access token (PAT or user token); `rpt`: a JWT RPT; `refresh`, `pct`, `code`: opaque
 * strings stored by hash.
 */
export type TokenKind = 'access' | 'rpt' | 'refresh' | 'pct' | 'code';

export interface TokenRecord {
  realm: string;
  /** The JWT's `jti`, or SHA-256 (hex) of an opaque token. */
  id: string;
  kind: TokenKind;
  clientId: string;
  /** `sub`: a user id, or the client id when the client acts for itself. */
  subject: string;
  /** Tokens issued from one grant share it; revoking a refresh token revokes its grant. */
  grantId: string;
  createdAt: number;
  expiresAt: number;
  revoked: boolean;
  data: TokenData;
}

export interface TokenData {
  /** Space-separated OAuth scope (access tokens, refresh tokens, codes). */
  scope?: string;
  /** RPT permissions (RPTs, and refresh tokens that refresh an RPT). */
  permissions?: GrantedPermission[];
  /** Authorization code: redirect_uri, PKCE challenge, nonce. */
  redirectUri?: string;
  codeChallenge?: string;
  codeChallengeMethod?: string;
  nonce?: string;
  /** PCT: the claims it stands for. */
  claims?: Record<string, unknown>;
  /** Expiry of the permissions inside an RPT (seconds since epoch), when shorter than the token. */
  [key: string]: unknown;
}
