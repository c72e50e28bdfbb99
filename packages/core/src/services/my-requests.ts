/**
 * @module services/my-requests
 * A requesting party's own access requests ("my requests"): what she asked of which owner, for which
 * resource and scopes, and how it was answered. The owner's side lives in the pending-requests API.
 */
import type { AccessRequest } from '../model/access-request.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

/** Most requests the list shows. */
export const MAX_MY_REQUESTS = 200;

export interface MyRequest {
  request: AccessRequest;
  /** The owner's username (a client id for a client-owned resource). */
  ownerName: string;
  /** The resource's name, or its id when unnamed or deleted. */
  resourceName: string;
}

/** The user's requests in the realm, newest first. */
export async function listMyRequests(ports: Ports, input: { realm: string; user: User }): Promise<MyRequest[]> {
  const { realm, user } = input;
  const requests = await ports.store.accessRequests.listByRequester(realm, user.id, MAX_MY_REQUESTS);
  const owners = new Map<string, string>();
  const views: MyRequest[] = [];
  for (const request of requests) {
    if (!owners.has(request.owner)) owners.set(request.owner, (await ports.store.users.get(realm, request.owner))?.username ?? request.owner);
    const resource = await ports.store.resources.get(realm, request.owner, request.resourceId);
    views.push({ request, ownerName: owners.get(request.owner)!, resourceName: resource?.name ?? request.resourceId });
  }
  return views;
}
