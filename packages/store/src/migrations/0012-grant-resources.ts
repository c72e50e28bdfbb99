/**
 * @module migrations/0012-grant-resources
 * Which grants hold a permission on which resource: one row per (realm, resource, grant) for the live
 * RPT and RPT refresh records, written with them. A policy write, a share deletion or a resource
 * deletion finds the grants it may have to revoke through this index, in time proportional to those
 * grants, instead of reading every live token of the realm. `expires_at` is the latest expiry of the
 * grant's records naming the resource, so the periodic purge removes a row once they are all gone.
 * Existing records are indexed here. On SQLite the table is `WITHOUT ROWID`: its key is the row, so a
 * grant writes two B-trees (the key and the expiry index), not three.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

/** The table's key: the row on SQLite (WITHOUT ROWID), and what its purge picks batches by there. */
export const GRANT_RESOURCES_KEY = ['realm', 'resource_id', 'grant_id'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  const table = db.schema
    .createTable('grant_resources')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('grant_resources_pk', [...GRANT_RESOURCES_KEY]);
  await (postgres ? table : table.modifyEnd(sql`without rowid`)).execute();
  await db.schema.createIndex('grant_resources_expires_ix').on('grant_resources').column('expires_at').execute();
  const permissions = postgres
    ? sql`cross join lateral jsonb_array_elements(case when jsonb_typeof(t.data::jsonb -> 'permissions') = 'array' then t.data::jsonb -> 'permissions' else '[]'::jsonb end) p(value)`
    : sql`join json_each(case when json_type(t.data, '$.permissions') = 'array' then json_extract(t.data, '$.permissions') else '[]' end) p`;
  const resourceId = postgres ? sql`p.value ->> 'resourceId'` : sql`json_extract(p.value, '$.resourceId')`;
  await sql`insert into grant_resources (realm, resource_id, grant_id, expires_at)
    select t.realm, ${resourceId}, t.grant_id, max(t.expires_at) from tokens t ${permissions}
    where t.kind in ('rpt', 'refresh') and t.revoked = 0 and ${resourceId} is not null
    group by t.realm, ${resourceId}, t.grant_id`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('grant_resources').ifExists().execute();
}
