/**
 * @module migrations/0008-keycloak
 * Keycloak compatibility: the ticketless UMA grant names resources by name among those of one resource
 * server, so resources are indexed by (realm, resource server, name).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('resources_server_name_ix').on('resources').columns(['realm', 'resource_server', 'name']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('resources_server_name_ix').ifExists().execute();
}
