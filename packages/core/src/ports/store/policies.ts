/** @module ports/store/policies — the owners' policies (and re-shares) on their resources. */
import type { Policy } from '../../model/policy.ts';
import type { PolicyFilter, PolicyPageQuery } from './pages.ts';

/**
 * Policies are keyed by (realm, owner, id): the id is the resource's, the owner is the resource owner
 * (primary policy) or a requesting party re-sharing it (`resourceOwner` set).
 */
export interface PolicyStore {
  get(realm: string, owner: string, id: string): Promise<Policy | null>;
  /**
   * The policies of any owner on resource `id` with a permission whose subject is exactly `subject`
   * (case-sensitive), any order. Indexed: the cost depends on the policies naming the subject, not on
   * how many policies the resource has.
   */
  listNaming(realm: string, id: string, subject: string): Promise<Policy[]>;
  /** The owner's policies for these resource ids; absent ones are omitted. */
  getMany(realm: string, owner: string, ids: string[]): Promise<Policy[]>;
  /** Inserts a new policy. Returns false (and writes nothing) when this owner has one for that id. */
  create(policy: Policy): Promise<boolean>;
  /**
   * Replaces the permissions when the stored revision equals `expectedRev` (or unconditionally when
   * `expectedRev` is null). Returns 'updated', 'missing' or 'stale'.
   */
  update(policy: Policy, expectedRev: string | null): Promise<'updated' | 'missing' | 'stale'>;
  /** Returns false when absent. */
  delete(realm: string, owner: string, id: string): Promise<boolean>;
  /** One page of the owner's policies that match, in `query.order` after `query.after` (ports/store/pages). */
  page(realm: string, owner: string, query: PolicyPageQuery): Promise<Policy[]>;
  /** How many of the owner's policies match, counting no further than `limit`. */
  count(realm: string, owner: string, filter: PolicyFilter, limit: number): Promise<number>;
  /**
   * Ids of the resources that policies of any owner name `subject` on (exactly), ascending, after
   * `after` (a resource id), at most `limit`. For "shared with me": indexed by (realm, subject, resource id).
   */
  pageResourcesNaming(realm: string, subject: string, after: string | undefined, limit: number): Promise<string[]>;
  /**
   * Whether any policy of the realm (any owner, any resource) has a permission whose subject is exactly
   * `subject`. An admin check (deleting a user): it may scan the realm's policy subjects.
   */
  isSubjectNamed(realm: string, subject: string): Promise<boolean>;
  /** Every policy of the realm (any owner) ordered by id, then owner: realm export. */
  listByRealm(realm: string): Promise<Policy[]>;
}
