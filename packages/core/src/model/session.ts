/** @module model/session — a signed-in user's session (`tokenId` of the authenticate endpoint, login cookie). */

export interface Session {
  realm: string;
  /** SHA-256 (hex) of the session token. */
  hash: string;
  userId: string;
  createdAt: number;
  expiresAt: number;
}
