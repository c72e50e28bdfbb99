/**
 * @module migrations/0015-server-resource-indexes
 * A resource server's own PAT lists what it registered for every owner (Keycloak's list without
 * `owner`), a page at a time: oldest first from (realm, resource server, created, id), and an exact
 * name from (realm, resource server, sort name, id), so a page costs the same at the first row and at
 * the millionth and an exact name costs its matches, not the resource server's resources.
 */
import { sql, type Kysely } from 'kysely';

const INDEXES: ReadonlyArray<[name: string, columns: string]> = [
  ['resources_server_created_ix', 'realm, resource_server, created_at, id'],
  ['resources_server_sort_name_ix', 'realm, resource_server, (coalesce(name, id)), id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of INDEXES) await sql.raw(`create index if not exists ${name} on resources (${columns})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).ifExists().execute();
}
