/**
 * @module migrations/0011-keyset-indexes
 * Indexes that serve the owner-facing lists page by page (keyset paging: each page starts after the
 * sort key of the previous page's last row), so a page costs the same at the first row and at the
 * millionth: the owner's resources in each order the lists offer (name, type then name, resource
 * server then name, id, and a resource server's oldest first), access requests newest first (all, by
 * status, and by requester for "my requests"), and the policies naming a subject by resource id
 * ("shared with me"). A resource's sort name is its name, or its id when it has none.
 */
import { sql, type Kysely } from 'kysely';

const INDEXES: ReadonlyArray<[name: string, table: string, columns: string]> = [
  ['resources_owner_name_ix', 'resources', 'realm, owner, (coalesce(name, id)), id'],
  ['resources_owner_type_ix', 'resources', "realm, owner, (coalesce(type, '')), (coalesce(name, id)), id"],
  ['resources_owner_server_name_ix', 'resources', 'realm, owner, resource_server, (coalesce(name, id)), id'],
  ['resources_owner_server_created_ix', 'resources', 'realm, owner, resource_server, created_at, id'],
  ['resources_owner_id_ix', 'resources', 'realm, owner, id'],
  ['access_requests_owner_at_ix', 'access_requests', 'realm, owner, created_at, id'],
  ['access_requests_owner_status_ix', 'access_requests', 'realm, owner, status, created_at, id'],
  ['access_requests_requester_at_ix', 'access_requests', 'realm, requester, created_at, id'],
  ['policy_subjects_subject_resource_ix', 'policy_subjects', 'realm, subject, resource_id, owner'],
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const [name, table, columns] of INDEXES) await sql.raw(`create index if not exists ${name} on ${table} (${columns})`).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const [name] of [...INDEXES].reverse()) await db.schema.dropIndex(name).ifExists().execute();
}
