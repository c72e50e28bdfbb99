/**
 * @module services/my-requests
 * A requesting party's own access requests ("my requests"): what she asked of which owner, for which
 * resource and scopes, and how it was answered. The owner's side lives in the pending-requests API.
 */
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import type { AccessRequest } from '../model/access-request.ts';
import { scanPage, type Page, type PageRequest } from './paging.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

export interface MyRequest {
  request: AccessRequest;
  /** The owner's username (a client id for a client-owned resource). */
  ownerName: string;
  /** The resource's name, or its id when unnamed or deleted. */
  resourceName: string;
}

const LIST = 'myRequests';

/** One page of the user's requests in the realm, newest first (after the cookie, or from a small offset). Not counted: `total` is -1. */
export async function listMyRequests(ports: Ports, input: { realm: string; user: User; page: PageRequest }): Promise<Page<MyRequest>> {
  const { realm, user, page } = input;
  const after = page.cookie === undefined ? undefined : decodeCursor(page.cookie, LIST, ['number', 'string']);
  const owners = new Map<string, string>();
  const view = async (request: AccessRequest): Promise<MyRequest> => {
    if (!owners.has(request.owner)) owners.set(request.owner, (await ports.store.users.get(realm, request.owner))?.username ?? request.owner);
    const resource = await ports.store.resources.get(realm, request.owner, request.resourceId);
    return { request, ownerName: owners.get(request.owner)!, resourceName: resource?.name ?? request.resourceId };
  };
  const { items, next } = await scanPage<AccessRequest, MyRequest>(
    { read: (from, n) => ports.store.accessRequests.pageByRequester(realm, user.id, from, n), keyOf: (r) => [r.createdAt, r.id], view },
    after,
    page.offset,
    page.pageSize,
  );
  return { result: items, cookie: next === null ? null : encodeCursor(LIST, next), remaining: next === null ? 0 : -1, total: -1 };
}
