/**
 * @module services/list-access-requests
 * The owner's access requests (AM's pendingrequests): unanswered ones unless the `_queryFilter` asks
 * about `status`, newest first, paged by keyset (a cookie) or a small offset. Each comes with the requesting party's username and the
 * resource's name, as the owner recognizes them.
 */
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { conjunctionTerms, matchesQueryFilter, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
import type { AccessRequestFilter } from '../ports/store/pages.ts';
import { countLimit, remainingOf, scanPage, type Page, type PageRequest } from './paging.ts';
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
  page: PageRequest;
}

export type AccessRequestPage = Page<AccessRequestView>;

/** The cookie's list name and key kinds (createdAt, id). */
const LIST = 'accessRequests';
const KEY_KINDS = ['number', 'string'] as const;

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

/** The store filter for the query's `eq` terms on stored fields (the rest the view checks); null: nothing matches. */
async function storeFilter(ports: Ports, realm: string, filter: QueryFilter): Promise<AccessRequestFilter | null> {
  if (filter.op === 'false') return null;
  const out: AccessRequestFilter = {};
  const terms = conjunctionTerms(filter);
  const fields: Record<string, 'id' | 'resourceId' | 'requester' | 'clientId'> = { '/_id': 'id', '/resourceId': 'resourceId', '/requester': 'requester', '/clientId': 'clientId' };
  for (const term of terms) {
    if (term.op !== 'eq' || typeof term.value !== 'string' || !('field' in term)) continue;
    if (term.field === '/status') {
      if (term.value !== 'pending' && term.value !== 'approved' && term.value !== 'denied') return null;
      out.status ??= term.value;
    } else if (term.field === '/user' && out.requester === undefined) {
      // A username names its user; anything else is the subject itself (a client acting for itself).
      const user = term.value.length <= 256 && !term.value.includes('\u0000') ? await ports.store.users.findByUsername(realm, term.value) : null;
      out.requester = user?.id ?? term.value;
    } else if (fields[term.field] !== undefined) out[fields[term.field]!] ??= term.value;
  }
  if (!mentionsStatus(filter)) out.status = 'pending';
  return out;
}

/** One page of the owner's matching requests, newest first, after the cookie or from a small offset. */
export async function listAccessRequests(ports: Ports, input: { realm: string; owner: User; query: AccessRequestQuery }): Promise<AccessRequestPage> {
  const { realm, owner, query } = input;
  const after = query.page.cookie === undefined ? undefined : decodeCursor(query.page.cookie, LIST, KEY_KINDS);
  const filter = await storeFilter(ports, realm, query.filter);
  if (filter === null) return { result: [], cookie: null, remaining: 0, total: query.page.countPolicy === 'NONE' ? -1 : 0 };
  const limit = countLimit(query.page.countPolicy);
  const total = limit > 0 ? await ports.store.accessRequests.count(realm, owner.id, filter, limit) : -1;
  const { items, next } = await scanPage<AccessRequestView, AccessRequestView>(
    {
      read: async (from, n) => viewAccessRequests(ports, realm, owner, await ports.store.accessRequests.page(realm, owner.id, { ...filter, ...(from ? { after: from } : {}), limit: n })),
      keyOf: (v) => [v.request.createdAt, v.request.id],
      view: (v) => (matchesQueryFilter(query.filter, filterRecord(v)) ? v : null),
    },
    after,
    query.page.offset,
    query.page.pageSize,
  );
  return { result: items, cookie: next === null ? null : encodeCursor(LIST, next), remaining: remainingOf(next !== null, total, query.page, items.length), total };
}

/** One of the owner's requests, whatever its status; 404 otherwise. */
export async function readAccessRequest(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<AccessRequestView> {
  const request = input.id.length <= 256 && !input.id.includes('\u0000') ? await ports.store.accessRequests.get(input.realm, input.owner.id, input.id) : null;
  if (!request) throw requestNotFound(input.id);
  return (await viewAccessRequests(ports, input.realm, input.owner, [request]))[0]!;
}
