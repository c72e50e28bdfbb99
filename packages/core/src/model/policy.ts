/** @module model/policy — the owner's sharing policy for one resource (policy id = resource id, seed 002). */

export interface PolicyPermission {
  /**
   * Who is granted: a username of the realm, or `client:{clientId}` to name a client acting
   * for itself (a requesting party with no end-user claims).
   */
  subject: string;
  scopes: string[];
}

export interface Policy {
  realm: string;
  /** Equals the resource id. */
  id: string;
  owner: string;
  /** Opaque revision; changes on every write (CREST `_rev`). */
  rev: string;
  permissions: PolicyPermission[];
  createdAt: number;
  updatedAt: number;
}

export const CLIENT_SUBJECT_PREFIX = 'client:';
