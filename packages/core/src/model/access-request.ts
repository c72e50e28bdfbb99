/** @module model/access-request — a requesting party's request for scopes, recorded for the owner to answer. */

export type AccessRequestStatus = 'pending' | 'approved' | 'denied';

export interface AccessRequest {
  realm: string;
  id: string;
  owner: string;
  resourceId: string;
  /** Subject of the requesting party (user id, or client id). */
  requester: string;
  clientId: string;
  scopes: string[];
  status: AccessRequestStatus;
  createdAt: number;
  /** When last refreshed while pending; when answered (or reopened) once answered. */
  updatedAt: number;
  /** Approved requests only: the scopes the owner approved (all of `scopes`, or a subset). */
  approvedScopes?: string[];
}
