/**
 * @module test/helpers/lists
 * Whole lists for assertions in tests, read through the stores' keyset pages (the stores have no
 * unbounded list methods): an owner's access requests, resource ids and policies.
 */
import type { AccessRequest, AccessRequestStatus, Policy, SortKey, Store } from '@steward/core';

const PAGE = 500;

async function all<T>(read: (after: SortKey | undefined) => Promise<T[]>, keyOf: (row: T) => SortKey): Promise<T[]> {
  const rows: T[] = [];
  for (let after: SortKey | undefined; ; ) {
    const page = await read(after);
    rows.push(...page);
    if (page.length < PAGE) return rows;
    after = keyOf(page.at(-1)!);
  }
}

/** The owner's access requests (with this status, or all), newest first. */
export function accessRequestsOf(store: Store, realm: string, owner: string, status?: AccessRequestStatus): Promise<AccessRequest[]> {
  return all((after) => store.accessRequests.page(realm, owner, { ...(status ? { status } : {}), ...(after ? { after } : {}), limit: PAGE }), (r) => [r.createdAt, r.id]);
}

/** Ids of the owner's resources (of one resource server, or all), oldest first. */
export async function resourceIdsOf(store: Store, realm: string, owner: string, resourceServer?: string): Promise<string[]> {
  const rows = await all((after) => store.resources.page(realm, owner, { order: 'created', ...(resourceServer !== undefined ? { resourceServer } : {}), ...(after ? { after } : {}), limit: PAGE }), (r) => [r.createdAt, r.id]);
  return rows.map((r) => r.id);
}

/** The owner's policies (her own and her re-shares), by id. */
export function policiesOf(store: Store, realm: string, owner: string): Promise<Policy[]> {
  return all((after) => store.policies.page(realm, owner, { order: 'id', ...(after ? { after } : {}), limit: PAGE }), (p) => [p.id]);
}
