/** @module model/policy — the owner's sharing policy for one resource (policy id = resource id, ForgeRock AM's UMA policies REST API). */

export interface PolicyPermission {
  /**
   * Who is granted: a username of the realm, or `client:{clientId}` to name a client acting
   * for itself (a requesting party with no end-user claims).
   */
  subject: string;
  scopes: string[];
  /** Restrictions on this permission (ForgeRock AM's UMA policies REST API, "Restrict an UMA policy"); absent: none. */
  conditions?: PolicyConditions;
}

/** The conditions AM calls `Expiration` and `ClientId`; all present ones must hold (AND). */
export interface PolicyConditions {
  /** Seconds since the epoch; from then on the permission grants nothing. */
  expiresAt?: number;
  /** Only these clients can obtain an RPT under the permission. */
  clientIds?: string[];
}

export interface Policy {
  realm: string;
  /** Equals the resource id. */
  id: string;
  /** The user whose policy this is: the resource owner, or a requesting party re-sharing it. */
  owner: string;
  /** Set on a re-share only: the resource's owner (user id), who holds the primary policy. */
  resourceOwner?: string;
  /** Opaque revision; changes on every write (CREST `_rev`). */
  rev: string;
  permissions: PolicyPermission[];
  createdAt: number;
  updatedAt: number;
}

export const CLIENT_SUBJECT_PREFIX = 'client:';
