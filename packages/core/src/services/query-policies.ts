/**
 * @module services/query-policies
 * Querying the owner's UMA policies (ForgeRock AM's UMA policies REST API, "Query UMA policies"): a `_queryFilter` on
 * `resourceServer` and `permissions/subject`, `_sortKeys` on `policyId` and `name`, and offset paging.
 */
import { parseSortKeys } from '../decision/sort-keys.ts';
import { matchesQueryFilter, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
import { fail, isStewardError } from '../errors.ts';
import type { User } from '../model/user.ts';
import { resolvePolicyOwner, type PolicyView } from './owner-policies.ts';
import type { Ports } from './ports.ts';

/** The fields a policy query may filter on. */
export const POLICY_QUERY_FIELDS = ['/resourceServer', '/permissions/subject'] as const;

/** The fields policy query results may be sorted by. */
export const POLICY_SORT_FIELDS = ['policyId', 'name'] as const;

export type PolicySortField = (typeof POLICY_SORT_FIELDS)[number];

/** One `_sortKeys` entry: `name`, `+name` (ascending) or `-name` (descending). */
export interface PolicySortKey {
  field: PolicySortField;
  descending: boolean;
}

/** A checked query. `pageSize` 0 returns every match from `offset` on. */
export interface PolicyQuery {
  filter: QueryFilter;
  sortKeys: PolicySortKey[];
  pageSize: number;
  offset: number;
}

/** One page of matches, with how many matches follow it. */
export interface PolicyQueryPage {
  result: PolicyView[];
  remaining: number;
}

/** Most sort keys one query may name. */
const MAX_SORT_KEYS = 8;

/** Parses `_queryFilter` against the fields a policy query supports. */
export function parsePolicyFilter(filter: string): QueryFilter {
  return parseQueryFilter(filter, POLICY_QUERY_FIELDS);
}

/** Parses `_sortKeys` (`[+|-]field[,[+|-]field…]`); an unknown field is `invalid_request` naming it. */
export function parsePolicySortKeys(value: string): PolicySortKey[] {
  return parseSortKeys(value, POLICY_SORT_FIELDS, MAX_SORT_KEYS, 'policyId and name');
}

/**
 * The owner whose policies `actor` may query under `username`: the user herself, or a realm
 * administrator (who reads). Same rules as reading one policy.
 */
export async function resolvePolicyQueryOwner(ports: Ports, input: { realm: string; actor: User; username: string }): Promise<User> {
  try {
    return await resolvePolicyOwner(ports, { ...input, action: 'read', policyId: '' });
  } catch (e) {
    if (isStewardError(e) && e.code === 'not_found') throw fail('not_found', `User not found, ${input.username.slice(0, 200)}`);
    throw e;
  }
}

/** What the filter sees of a policy: the fields of its representation plus the resource server. */
function filterRecord(view: PolicyView): Record<string, unknown> {
  return {
    policyId: view.policy.id,
    name: nameOf(view),
    resourceServer: view.resource.resourceServer,
    permissions: view.policy.permissions.map((p) => ({ subject: p.subject, scopes: p.scopes })),
  };
}

function nameOf(view: PolicyView): string {
  return view.resource.name ?? view.resource.id;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The page of the owner's policies that match, sorted by the keys (ties, and no keys, by policy id so
 * pages are stable), starting at `offset`.
 */
export async function queryPolicies(ports: Ports, input: { realm: string; owner: User; query: PolicyQuery }): Promise<PolicyQueryPage> {
  const { realm, owner, query } = input;
  const policies = await ports.store.policies.list(realm, owner.id);
  if (query.filter.op === 'false' || policies.length === 0) return { result: [], remaining: 0 };
  const resources = new Map((await ports.store.resources.getMany(realm, owner.id, policies.map((p) => p.id))).map((r) => [r.id, r]));
  // Re-shares protect another owner's resource.
  for (const p of policies.filter((p) => p.resourceOwner !== undefined)) {
    const shared = await ports.store.resources.get(realm, p.resourceOwner!, p.id);
    if (shared) resources.set(shared.id, shared);
  }
  const views: PolicyView[] = [];
  for (const policy of policies) {
    const resource = resources.get(policy.id);
    // A policy always has its resource (deleting a resource deletes its policy); skip one that does not.
    if (resource) views.push({ policy, resource });
  }
  const matches = views.filter((v) => matchesQueryFilter(query.filter, filterRecord(v)));
  const value = (v: PolicyView, field: PolicySortField) => (field === 'name' ? nameOf(v) : v.policy.id);
  matches.sort((a, b) => {
    for (const key of query.sortKeys) {
      const order = compare(value(a, key.field), value(b, key.field));
      if (order !== 0) return key.descending ? -order : order;
    }
    return compare(a.policy.id, b.policy.id);
  });
  const from = Math.min(query.offset, matches.length);
  const to = query.pageSize > 0 ? Math.min(from + query.pageSize, matches.length) : matches.length;
  return { result: matches.slice(from, to), remaining: matches.length - to };
}
