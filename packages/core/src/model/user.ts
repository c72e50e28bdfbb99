/** @module model/user — a person who signs in: resource owner, requesting party or realm administrator. */

export interface User {
  realm: string;
  /** Opaque, immutable id (a UUID). Tokens carry it as `sub`. */
  id: string;
  /** Unique within the realm; what the owner types when sharing. */
  username: string;
  email: string | null;
  /** argon2id PHC string. Never leaves the store layer except to be verified. */
  passwordHash: string;
  /** Realm administrator: may read and delete (never create) owners' policies. */
  admin: boolean;
  disabled: boolean;
  createdAt: number;
}
