/**
 * @module ports/store/pages
 * Keyset paging of the owner-facing lists. A page holds the rows strictly after `after` (the sort key
 * of the previous page's last row) in the list's order, at most `limit` of them; the stores serve each
 * order from an index, so a page costs the same wherever it starts. Sort keys are compared as the
 * database orders text (SQLite: by code point; PostgreSQL: by the database's collation), the same way
 * in the order and in `after`, so every row is on exactly one page. Counts are bounded by their caller.
 */

/** One value of a sort key: text or an integer. */
export type SortValue = string | number;

/** A sort key: the values of the order's columns for one row, last the row's unique id. */
export type SortKey = readonly SortValue[];

/**
 * The orders of an owner's resources, each with its key (resourceSortKey): `name` (the name, or the id
 * when unnamed; then id), `type` (type, '' when none; then name, id), `resourceServer` (then name, id),
 * `id`, `created` (createdAt, id).
 */
export type ResourceOrder = 'name' | 'type' | 'resourceServer' | 'id' | 'created';

/** Which of an owner's resources a page or count holds: every given condition holds. */
export interface ResourceFilter {
  resourceServer?: string;
  /** The sort name (the name, or the id when unnamed) is exactly this. */
  sortName?: string;
  type?: string;
  /** Lower-case text that the sort name, type or resource server contains (ASCII letters folded). */
  search?: string;
}

export interface ResourcePageQuery extends ResourceFilter {
  order: ResourceOrder;
  descending?: boolean;
  after?: SortKey;
  limit: number;
}

/**
 * One page of the resources one resource server registered in a realm, whoever owns them (the list a
 * resource server's own PAT reads without naming an owner), by id (ids are time-ordered: oldest first),
 * the ids strictly after `after` (key: [id]), at most `limit`.
 */
export interface ServerResourcePageQuery {
  /** The sort name (the name, or the id when unnamed) is exactly this. */
  sortName?: string;
  type?: string;
  after?: SortKey;
  limit: number;
}

/** The orders of an owner's policies: `id` (policy id, the resource id) or `name` (the resource's sort name, then id). */
export type PolicyOrder = 'id' | 'name';

export interface PolicyFilter {
  /** The resource the policy protects was registered by this resource server. */
  resourceServer?: string;
  /** The policy names this subject (exactly). */
  subject?: string;
  /** Only the owner's own policies (not re-shares of another owner's resources). */
  ownOnly?: boolean;
}

export interface PolicyPageQuery extends PolicyFilter {
  order: PolicyOrder;
  descending?: boolean;
  after?: SortKey;
  limit: number;
}

/** Which of an owner's access requests a page or count holds; newest first, key (createdAt, id). */
export interface AccessRequestFilter {
  status?: 'pending' | 'approved' | 'denied';
  id?: string;
  resourceId?: string;
  requester?: string;
  clientId?: string;
}

export interface AccessRequestPageQuery extends AccessRequestFilter {
  after?: SortKey;
  limit: number;
}
