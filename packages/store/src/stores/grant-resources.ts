/**
 * @module stores/grant-resources
 * The index from a resource to the grants holding a permission on it (migration 0012), written with
 * every RPT and RPT refresh record, in the same statement or transaction, by every path that inserts
 * token records (TokenStore.insert/insertMany, GrantStore.redeem on both dialects). Revocation after a
 * policy change reads the grants of one resource through it, then their records by (realm, grant).
 */
import type { TokenRecord } from '@steward/core';
import { sql, type Kysely } from 'kysely';
import type { Database, GrantResourceRow } from '../schema.ts';
import { GRANT_RESOURCES_KEY } from '../migrations/0012-grant-resources.ts';

/** The kinds of record whose permissions a policy change may withdraw. */
export const GRANT_KINDS = ['rpt', 'refresh'] as const;

/** The index rows of `tokens`: one per (realm, resource, grant), with the latest expiry among them. */
export function grantResourceRows(tokens: readonly TokenRecord[]): GrantResourceRow[] {
  const rows = new Map<string, GrantResourceRow>();
  for (const token of tokens) {
    if (!(GRANT_KINDS as readonly string[]).includes(token.kind) || token.revoked) continue;
    const permissions: unknown = token.data.permissions;
    if (!Array.isArray(permissions)) continue;
    for (const permission of permissions) {
      const resourceId = (permission as { resourceId?: unknown } | null)?.resourceId;
      if (typeof resourceId !== 'string') continue;
      const key = JSON.stringify([token.realm, resourceId, token.grantId]);
      const known = rows.get(key);
      if (known) known.expires_at = Math.max(known.expires_at, token.expiresAt);
      else rows.set(key, { realm: token.realm, resource_id: resourceId, grant_id: token.grantId, expires_at: token.expiresAt });
    }
  }
  return [...rows.values()];
}

/** Inserts the index rows, keeping the later expiry of a grant already indexed (a rotation, an upgrade). */
export function upsertGrantResources(db: Kysely<Database>, rows: readonly GrantResourceRow[]) {
  return db
    .insertInto('grant_resources')
    .values([...rows])
    .onConflict((oc) =>
      oc.columns([...GRANT_RESOURCES_KEY]).doUpdateSet({
        expires_at: (eb) => sql<number>`case when ${eb.ref('excluded.expires_at')} > ${eb.ref('grant_resources.expires_at')} then ${eb.ref('excluded.expires_at')} else ${eb.ref('grant_resources.expires_at')} end`,
      }),
    );
}

/** The live RPT and refresh records of the grants indexed under the resource (to be matched exactly by the caller). */
export function liveByResourceQuery(db: Kysely<Database>, realm: string, resourceId: string, now: number) {
  return db
    .selectFrom('tokens')
    .selectAll()
    .where('realm', '=', realm)
    .where('grant_id', 'in', (eb) =>
      eb.selectFrom('grant_resources').select('grant_id').where('realm', '=', realm).where('resource_id', '=', resourceId).where('expires_at', '>', now),
    )
    .where('kind', 'in', [...GRANT_KINDS])
    .where('revoked', '=', 0)
    .where('expires_at', '>', now);
}
