/**
 * @module services/owner-resources
 * The resource owner's list of her resources (AM's "My resources", `oauth2/resources/sets`): a query
 * by exact `name`, `type` or `resourceServer`, a free-text search, sort keys and offset paging, each
 * resource with the policy that shares it (if any). One resource with its policy for the detail view.
 */
import { parseSortKeys } from '../decision/sort-keys.ts';
import { matchesQueryFilter, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
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

/** A checked query. `pageSize` 0 returns every match from `offset` on. */
export interface ResourceQuery {
  filter: QueryFilter;
  /** Case-insensitive text that the name, type or resource server must contain; empty: no search. */
  search: string;
  sortKeys: ResourceSortKey[];
  pageSize: number;
  offset: number;
}

/** A resource with the owner's policy on it (null when it is not shared). */
export interface OwnedResource {
  resource: Resource;
  policy: Policy | null;
}

export interface OwnedResourcePage {
  result: OwnedResource[];
  remaining: number;
  total: number;
}

const MAX_SORT_KEYS = 4;
/** Longest search text. */
export const MAX_SEARCH_LENGTH = 256;

export function parseResourceFilter(filter: string): QueryFilter {
  return parseQueryFilter(filter, RESOURCE_QUERY_FIELDS);
}

/** Parses `_sortKeys` (`[+|-]field,…`); an unknown field is `invalid_request` naming it. */
export function parseResourceSortKeys(value: string): ResourceSortKey[] {
  return parseSortKeys(value, RESOURCE_SORT_FIELDS, MAX_SORT_KEYS);
}

/** Only the user herself lists her resources (a realm administrator reads policies, not this page). */
export function requireSelf(actor: User, username: string): void {
  if (actor.username !== username) throw fail('forbidden', 'Only the user themselves can use this resource');
}

function valueOf(r: Resource, field: ResourceSortField): string {
  switch (field) {
    case 'name':
      return r.name ?? r.id;
    case 'type':
      return r.type ?? '';
    case 'resourceServer':
      return r.resourceServer;
    case '_id':
      return r.id;
  }
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function searchable(r: Resource): string {
  return [r.name ?? r.id, r.type ?? '', r.resourceServer].join('\u0000').toLowerCase();
}

/**
 * The page of the owner's resources that match, sorted by the keys (ties, and no keys, by name then
 * id, so pages are stable), starting at `offset`; `total` counts every match.
 */
export async function queryOwnerResources(ports: Ports, input: { realm: string; owner: User; query: ResourceQuery }): Promise<OwnedResourcePage> {
  const { realm, owner, query } = input;
  const ids = await ports.store.resources.listIds(realm, owner.id);
  if (query.filter.op === 'false' || ids.length === 0) return { result: [], remaining: 0, total: 0 };
  const resources = await ports.store.resources.getMany(realm, owner.id, ids);
  const needle = query.search.toLowerCase();
  const matches = resources.filter(
    (r) => matchesQueryFilter(query.filter, { name: r.name ?? r.id, type: r.type, resourceServer: r.resourceServer }) && (needle === '' || searchable(r).includes(needle)),
  );
  const keys: ResourceSortKey[] = [...query.sortKeys, { field: 'name', descending: false }, { field: '_id', descending: false }];
  matches.sort((a, b) => {
    for (const key of keys) {
      const order = compare(valueOf(a, key.field), valueOf(b, key.field));
      if (order !== 0) return key.descending ? -order : order;
    }
    return 0;
  });
  const from = Math.min(query.offset, matches.length);
  const to = query.pageSize > 0 ? Math.min(from + query.pageSize, matches.length) : matches.length;
  const page = matches.slice(from, to);
  const policies = new Map((await ports.store.policies.getMany(realm, owner.id, page.map((r) => r.id))).map((p) => [p.id, p]));
  return { result: page.map((resource) => ({ resource, policy: policies.get(resource.id) ?? null })), remaining: matches.length - to, total: matches.length };
}

/** One of the owner's resources with her policy on it; `not_found` when it is not hers. */
export async function readOwnerResource(ports: Ports, input: { realm: string; owner: User; id: string }): Promise<OwnedResource> {
  const { realm, owner, id } = input;
  const resource = id.length <= 256 && !id.includes('\u0000') ? await ports.store.resources.get(realm, owner.id, id) : null;
  if (!resource) throw fail('not_found', `Resource not found, ${id.slice(0, 200)}`);
  return { resource, policy: await ports.store.policies.get(realm, owner.id, id) };
}
