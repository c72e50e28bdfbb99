/**
 * @module migrations/0015-server-resource-indexes
 * A resource server's own PAT lists what it registered for every owner (Keycloak's list without
 * `owner`), a page at a time by id (ids are time-ordered: oldest first) from (realm, resource server,
 * id), and an exact name from (realm, resource server, sort name, id), so a page costs the same at the
 * first row and at the millionth and an exact name costs its matches, not the resource server's
 * resources. (Not by creation time: an index on (realm, resource server, created) would compete with
 * the owner's (realm, owner, resource server, created) for the owner's own list.)
 */
import { sql, type Kysely } from 'kysely';

const INDEXES: ReadonlyArray<[name: string, columns: string]> = [
  ['resources_server_id_ix', 'realm, resource_server, id'],
  ['resources_server_sort_name_ix', 'realm, resource_server, (coalesce(name, id)), id'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, columns] of INDEXES) await sql.raw(`create index if not exists ${name} on resources (${columns})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).ifExists().execute();
}
