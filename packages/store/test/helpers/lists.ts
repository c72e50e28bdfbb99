/**
 * @module test/helpers/lists
 * Whole lists for assertions in tests, read through the stores' keyset pages with the core's scanAll
 * (the stores have no unbounded list methods): an owner's access requests, resource ids and policies.
 */
import { scanAll, type AccessRequest, type AccessRequestStatus, type Policy, type SortKey, type Store } from '@steward/core';

async function all<T>(read: (after: SortKey | undefined, limit: number) => Promise<T[]>, keyOf: (row: T) => SortKey): Promise<T[]> {
  const rows: T[] = [];
  for await (const row of scanAll(read, keyOf)) rows.push(row);
  return rows;
}

/** The owner's access requests (with this status, or all), newest first. */
export function accessRequestsOf(store: Store, realm: string, owner: string, status?: AccessRequestStatus): Promise<AccessRequest[]> {
  return all((after, limit) => store.accessRequests.page(realm, owner, { ...(status ? { status } : {}), ...(after ? { after } : {}), limit }), (r) => [r.createdAt, r.id]);
}

/** Ids of the owner's resources (of one resource server, or all), oldest first. */
export async function resourceIdsOf(store: Store, realm: string, owner: string, resourceServer?: string): Promise<string[]> {
  const rows = await all((after, limit) => store.resources.page(realm, owner, { order: 'created', ...(resourceServer !== undefined ? { resourceServer } : {}), ...(after ? { after } : {}), limit }), (r) => [r.createdAt, r.id]);
  return rows.map((r) => r.id);
}

/** The owner's policies (her own and her re-shares), by id. */
export function policiesOf(store: Store, realm: string, owner: string): Promise<Policy[]> {
  return all((after, limit) => store.policies.page(realm, owner, { order: 'id', ...(after ? { after } : {}), limit }), (p) => [p.id]);
}
