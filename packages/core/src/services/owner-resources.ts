/**
 * @module services/owner-resources
 * The resource owner's list of her resources (AM's "My resources", `oauth2/resources/sets`): a query
 * by exact `name`, `type` or `resourceServer`, a free-text search, one sort key, and keyset paging (the
 * store reads one page from an index, whatever the owner holds), each resource with the policy that
 * shares it (if any). One resource with its policy for the detail view.
 */
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { parseSortKeys } from '../decision/sort-keys.ts';
import { conjunctionTerms, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
import type { ResourceFilter, ResourceOrder, SortKey } from '../ports/store/pages.ts';
import { countLimit, remainingOf, scanPage, type Page, type PageRequest } from './paging.ts';
import { fail } from '../errors.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { User } from '../model/user.ts';
import type { Ports } from './ports.ts';

/** Fields `_queryFilter` may compare (with `eq`). */
export const RESOURCE_QUERY_FIELDS = ['/name', '/type', '/resourceServer'] as const;

/** Fields results may be sorted by. */
export const RESOURCE_SORT_FIELDS = ['name', 'type', 'resourceServer', '_id'] as const;

export type ResourceSortField = (typeof RESOURCE_SORT_FIELDS)[number];

export interface ResourceSortKey {
  field: ResourceSortField;
  descending: boolean;
}

/** A checked query. */
export interface ResourceQuery {
  filter: QueryFilter;
  /** Case-insensitive text that the name, type or resource server must contain; empty: no search. */
  search: string;
  /** At most one key (ties sort by name, then id, in the same direction). */
  sortKeys: ResourceSortKey[];
  page: PageRequest;
}

/** A resource with the owner's policy on it (null when it is not shared). */
export interface OwnedResource {
  resource: Resource;
  policy: Policy | null;
}

export type OwnedResourcePage = Page<OwnedResource>;

const MAX_SORT_KEYS = 1;
/** Longest search text. */
export const MAX_SEARCH_LENGTH = 256;

export function parseResourceFilter(filter: string): QueryFilter {
  return parseQueryFilter(filter, RESOURCE_QUERY_FIELDS);
}

/** Parses `_sortKeys` (`[+|-]field`, one key); an unknown field is `invalid_request` naming it. */
export function parseResourceSortKeys(value: string): ResourceSortKey[] {
  return parseSortKeys(value, RESOURCE_SORT_FIELDS, MAX_SORT_KEYS);
}

/** Only the user herself lists her resources (a realm administrator reads policies, not this page). */
export function requireSelf(actor: User, username: string): void {
  if (actor.username !== username) throw fail('forbidden', 'Only the user themselves can use this resource');
}

const ORDERS: Record<ResourceSortField, ResourceOrder> = { name: 'name', type: 'type', resourceServer: 'resourceServer', _id: 'id' };

/** The key of a resource in an order (the stores order by the same values: ports/store/pages). */
export function resourceSortKey(r: Resource, order: ResourceOrder): SortKey {
  const name = r.name ?? r.id;
  switch (order) {
    case 'name':
      return [name, r.id];
    case 'type':
      return [r.type ?? '', name, r.id];
    case 'resourceServer':
      return [r.resourceServer, name, r.id];
    case 'id':
      return [r.id];
    case 'created':
      return [r.createdAt, r.id];
  }
}

const KEY_KINDS: Record<ResourceOrder, ReadonlyArray<'string' | 'number'>> = {
  name: ['string', 'string'],
  type: ['string', 'string', 'string'],
  resourceServer: ['string', 'string', 'string'],
  id: ['string'],
  created: ['number', 'string'],
};

/** The store filter equal to the query's `eq` conjunction; null when it can match nothing. */
function storeFilter(filter: QueryFilter, search: string): ResourceFilter | null {
  const out: ResourceFilter = {};
  const terms = conjunctionTerms(filter);
  for (const term of terms) {
    if (term.op === 'true') continue;
    if (term.op !== 'eq' || typeof term.value !== 'string') return null;
    const key = term.field === '/name' ? 'sortName' : term.field === '/type' ? 'type' : 'resourceServer';
    if (out[key] !== undefined && out[key] !== term.value) return null;
    out[key] = term.value;
  }
  if (search !== '') out.search = search.toLowerCase();
  return out;
}

/**
 * One page of the owner's resources that match, in the sort key's order (ties, and no key, by name
 * then id), after the cookie or from a small offset; counted only as the page request asks.
 */
export async function queryOwnerResources(ports: Ports, input: { realm: string; owner: User; query: ResourceQuery }): Promise<OwnedResourcePage> {
  const { realm, owner, query } = input;
  const key = query.sortKeys[0];
  const order = key ? ORDERS[key.field] : 'name';
  const descending = key?.descending ?? false;
  const list = `resources:${order}:${descending ? 'desc' : 'asc'}`;
  const after = query.page.cookie === undefined ? undefined : decodeCursor(query.page.cookie, list, KEY_KINDS[order]);
  const filter = storeFilter(query.filter, query.search);
  if (filter === null) return { result: [], cookie: null, remaining: 0, total: query.page.countPolicy === 'NONE' ? -1 : 0 };
  const limit = countLimit(query.page.countPolicy);
  const total = limit > 0 ? await ports.store.resources.count(realm, owner.id, filter, limit) : -1;
  const { items, next } = await scanPage<Resource, Resource>(
    { read: (from, n) => ports.store.resources.page(realm, owner.id, { ...filter, order, descending, ...(from ? { after: from } : {}), limit: n }), keyOf: (r) => resourceSortKey(r, order), view: (r) => r },
    after,
    query.page.offset,
    query.page.pageSize,
  );
  const policies = new Map((await ports.store.policies.getMany(realm, owner.id, items.map((r) => r.id))).map((p) => [p.id, p]));
  return {
    result: items.map((resource) => ({ resource, policy: policies.get(resource.id) ?? null })),
    cookie: next === null ? null : encodeCursor(list, next),
    remaining: remainingOf(next !== null, total, query.page, items.length),
    total,
  };
}

/** One of the owner's resources with her policy on it; `not_found` when it is not hers. */
export async function readOwnerResource(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<OwnedResource> {
  const { realm, owner, id } = input;
  const resource = id.length <= 256 && !id.includes('\u0000') ? await ports.store.resources.get(realm, owner.id, id) : null;
  if (!resource) throw fail('not_found', `Resource not found, ${id.slice(0, 200)}`);
  return { resource, policy: await ports.store.policies.get(realm, owner.id, id) };
}
