/** @module ports/store/access-requests — requests for access a requesting party submits to an owner, and their answers. */
import type { AccessRequest } from '../../model/access-request.ts';
import type { AccessRequestFilter, AccessRequestPageQuery, SortKey } from './pages.ts';

export interface AccessRequestStore {
  /**
   * Records a pending request, or refreshes the pending one of the same (realm, owner, resource,
   * requester, client) with the union of scopes. Never creates a duplicate. Returns the stored request.
   */
  upsertPending(request: AccessRequest): Promise<AccessRequest>;
  get(realm: string, owner: string, id: string): Promise<AccessRequest | null>;
  /** One page of the owner's requests that match, newest first (key: createdAt, id) after `query.after`. */
  page(realm: string, owner: string, query: AccessRequestPageQuery): Promise<AccessRequest[]>;
  /** How many of the owner's requests match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: AccessRequestFilter, limit: number): Promise<number>;
  /**
   * One page of the requests a requesting party made (`requester` exactly), to any owner, newest first
   * (key: createdAt, id) after `after`. Indexed by (realm, requester).
   */
  pageByRequester(realm: string, requester: string, after: SortKey | undefined, limit: number): Promise<AccessRequest[]>;
  /**
   * Sets the status (and updatedAt to `now`) when the request is pending, in one conditional statement:
   * of concurrent answers exactly one wins. `approvedScopes` (approvals only) records what was granted.
   * Returns false when absent or no longer pending.
   */
  answer(realm: string, owner: string, id: string, status: 'approved' | 'denied', now: number, approvedScopes?: string[]): Promise<boolean>;
  /** The requester's denied requests on the owner's resource (any client), newest answer first. */
  listDenied(realm: string, owner: string, resourceId: string, requester: string): Promise<AccessRequest[]>;
  /**
   * Withdraws the owner's denial: a denied request becomes pending again (updatedAt `now`). When a
   * pending request of the same key exists meanwhile, the denied one's scopes are merged into it and
   * the denied one is removed. Returns the pending request that now holds the scopes; null when the
   * request is absent or not denied. Throws `conflict` when a concurrent writer made a twin pending.
   */
  reopen(realm: string, owner: string, id: string, now: number): Promise<AccessRequest | null>;
}
