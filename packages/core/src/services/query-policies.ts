/**
 * @module services/query-policies
 * Querying the owner's UMA policies (ForgeRock AM's UMA policies REST API, "Query UMA policies"): a `_queryFilter` on
 * `resourceServer` and `permissions/subject`, `_sortKeys` on `policyId` or `name`, and keyset paging (a cookie), or a small offset.
 */
import { parseSortKeys } from '../decision/sort-keys.ts';
import { conjunctionTerms, matchesQueryFilter, parseQueryFilter, type QueryFilter } from '../decision/query-filter.ts';
import { decodeCursor, encodeCursor } from '../decision/page-cursor.ts';
import { fail, isStewardError } from '../errors.ts';
import type { Policy } from '../model/policy.ts';
import type { Resource } from '../model/resource.ts';
import type { PolicyFilter, SortKey } from '../ports/store/pages.ts';
import { countLimit, remainingOf, scanPage, type Page, type PageRequest } from './paging.ts';
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

/** A checked query. */
export interface PolicyQuery {
  filter: QueryFilter;
  /** The first key orders (ties by policy id, in its direction); policy ids are unique, so later keys never matter after one. */
  sortKeys: PolicySortKey[];
  page: PageRequest;
}

/** One page of matches. */
export type PolicyQueryPage = Page<PolicyView>;

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

/** The store filter for the query's `eq` terms (what it cannot say, the view checks); null: nothing matches. */
function storeFilter(filter: QueryFilter): PolicyFilter | null {
  if (filter.op === 'false') return null;
  const out: PolicyFilter = {};
  const terms = conjunctionTerms(filter);
  for (const term of terms) {
    if (term.op !== 'eq' || typeof term.value !== 'string') continue;
    if (term.field === '/resourceServer' && out.resourceServer === undefined) out.resourceServer = term.value;
    if (term.field === '/permissions/subject' && out.subject === undefined) out.subject = term.value;
  }
  return out;
}

/**
 * One page of the owner's policies that match, in the sort key's order (ties, and no key, by policy
 * id), after the cookie or from a small offset; counted only as the page request asks (the count is
 * of the policies the store filter selects).
 */
export async function queryPolicies(ports: Ports, input: { realm: string; owner: User; query: PolicyQuery }): Promise<PolicyQueryPage> {
  const { realm, owner, query } = input;
  const key = query.sortKeys[0];
  const order = key?.field === 'name' ? 'name' : 'id';
  const descending = key?.descending ?? false;
  const list = `policies:${order}:${descending ? 'desc' : 'asc'}`;
  const after = query.page.cookie === undefined ? undefined : decodeCursor(query.page.cookie, list, order === 'name' ? ['string', 'string'] : ['string']);
  const filter = storeFilter(query.filter);
  if (filter === null) return { result: [], cookie: null, remaining: 0, total: query.page.countPolicy === 'NONE' ? -1 : 0 };
  const limit = countLimit(query.page.countPolicy);
  const total = limit > 0 ? await ports.store.policies.count(realm, owner.id, filter, limit) : -1;
  type Row = { policy: Policy; resource: Resource | null };
  const read = async (from: SortKey | undefined, n: number): Promise<Row[]> => {
    const policies = await ports.store.policies.page(realm, owner.id, { ...filter, order, descending, ...(from ? { after: from } : {}), limit: n });
    const own = new Map((await ports.store.resources.getMany(realm, owner.id, policies.filter((p) => p.resourceOwner === undefined).map((p) => p.id))).map((r) => [r.id, r]));
    const rows: Row[] = [];
    for (const policy of policies) {
      // Re-shares protect another owner's resource.
      const resource = policy.resourceOwner === undefined ? (own.get(policy.id) ?? null) : await ports.store.resources.get(realm, policy.resourceOwner, policy.id);
      rows.push({ policy, resource });
    }
    return rows;
  };
  const { items, next } = await scanPage<Row, PolicyView>(
    {
      read,
      keyOf: (row) => (order === 'name' ? [row.resource?.name ?? row.policy.id, row.policy.id] : [row.policy.id]),
      // A policy always has its resource (deleting a resource deletes its policy); skip one that does not.
      view: (row) => (row.resource !== null && matchesQueryFilter(query.filter, filterRecord({ policy: row.policy, resource: row.resource })) ? { policy: row.policy, resource: row.resource } : null),
    },
    after,
    query.page.offset,
    query.page.pageSize,
  );
  return { result: items, cookie: next === null ? null : encodeCursor(list, next), remaining: remainingOf(next !== null, total, query.page, items.length), total };
}
