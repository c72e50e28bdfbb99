/**
 * @module services/list-access-requests
 * The owner's access requests (AM's pendingrequests): unanswered ones unless the `_queryFilter` asks
 * about `status`, newest first, paged. Each comes with the requesting party's username and the
 * resource's name, as the owner recognizes them.
 */
import { matchesQueryFilter, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
import type { AccessRequest } from '../model/access-request.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';
import { requestNotFound } from './answer-access-request.ts';

/** The fields a request query may filter on (names of the wire representation). */
export const ACCESS_REQUEST_QUERY_FIELDS = ['/_id', '/status', '/user', '/requester', '/resource', '/resourceId', '/clientId', '/permissions'] as const;

/** A request with what the owner recognizes it by. */
export interface AccessRequestView {
  request: AccessRequest;
  /** The requesting party's username; the client id for a client acting for itself (or a party gone). */
  user: string;
  /** The resource's name, or its id when unnamed or deleted. */
  resource: string;
}

export interface AccessRequestQuery {
  filter: QueryFilter;
  /** 0: every match from `offset` on. */
  pageSize: number;
  offset: number;
}

export interface AccessRequestPage {
  result: AccessRequestView[];
  remaining: number;
}

export function parseAccessRequestFilter(filter: string): QueryFilter {
  return parseQueryFilter(filter, ACCESS_REQUEST_QUERY_FIELDS);
}

function mentionsStatus(filter: QueryFilter): boolean {
  if (filter.op === 'and') return filter.operands.some(mentionsStatus);
  return 'field' in filter && filter.field === '/status';
}

/** What the filter sees: the fields of the wire representation. */
function filterRecord(view: AccessRequestView): Record<string, unknown> {
  const r = view.request;
  return { _id: r.id, status: r.status, user: view.user, requester: r.requester, resource: view.resource, resourceId: r.resourceId, clientId: r.clientId, permissions: r.scopes };
}

/** The requests with the requesting parties' usernames and the resources' names. */
export async function viewAccessRequests(ports: Ports, realm: string, owner: User, requests: AccessRequest[]): Promise<AccessRequestView[]> {
  const resources = new Map((await ports.store.resources.getMany(realm, owner.id, [...new Set(requests.map((r) => r.resourceId))])).map((r) => [r.id, r]));
  const names = new Map<string, string>();
  for (const requester of new Set(requests.map((r) => r.requester))) {
    names.set(requester, (await ports.store.users.get(realm, requester))?.username ?? requester);
  }
  return requests.map((request) => ({ request, user: names.get(request.requester)!, resource: resources.get(request.resourceId)?.name ?? request.resourceId }));
}

/** One page of the owner's matching requests, newest first. */
export async function listAccessRequests(ports: Ports, input: { realm: string; owner: User; query: AccessRequestQuery }): Promise<AccessRequestPage> {
  const { realm, owner, query } = input;
  if (query.filter.op === 'false') return { result: [], remaining: 0 };
  const requests = await ports.store.accessRequests.list(realm, owner.id, mentionsStatus(query.filter) ? undefined : 'pending');
  const matches = (await viewAccessRequests(ports, realm, owner, requests)).filter((v) => matchesQueryFilter(query.filter, filterRecord(v)));
  const from = Math.min(query.offset, matches.length);
  const to = query.pageSize > 0 ? Math.min(from + query.pageSize, matches.length) : matches.length;
  return { result: matches.slice(from, to), remaining: matches.length - to };
}

/** One of the owner's requests, whatever its status; 404 otherwise. */
export async function readAccessRequest(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<AccessRequestView> {
  const request = input.id.length <= 256 && !input.id.includes('\u0000') ? await ports.store.accessRequests.get(input.realm, input.owner.id, input.id) : null;
  if (!request) throw requestNotFound(input.id);
  return (await viewAccessRequests(ports, input.realm, input.owner, [request]))[0]!;
}
