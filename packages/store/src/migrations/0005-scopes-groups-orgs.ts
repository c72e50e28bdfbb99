/**
 * @module migrations/0005-scopes-groups-orgs
 * Resource servers' public configurations (scope definitions and resource types with template scopes,
 * one JSON document per resource server), groups of users with their memberships, and organizations
 * with their administrators and clients. A client acts for one organization at most (the key of
 * `organization_clients`). Resources already have a `type` column.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resource_server_configs')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('resource_server', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('types', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resource_server_configs_pk', ['realm', 'resource_server'])
    .execute();

  await db.schema
    .createTable('groups')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('visible', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('groups_pk', ['realm', 'id'])
    .execute();
  await db.schema.createIndex('groups_name_ux').on('groups').columns(['realm', 'name']).unique().execute();

  await db.schema
    .createTable('group_members')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('group_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('group_members_pk', ['realm', 'group_id', 'user_id'])
    .execute();
  await db.schema.createIndex('group_members_user_ix').on('group_members').columns(['realm', 'user_id']).execute();

  await db.schema
    .createTable('organizations')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('organizations_pk', ['realm', 'id'])
    .execute();

  await db.schema
    .createTable('organization_admins')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_admins_pk', ['realm', 'org_id', 'user_id'])
    .execute();

  await db.schema
    .createTable('organization_clients')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('org_id', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('organization_clients_pk', ['realm', 'client_id'])
    .execute();
  await db.schema.createIndex('organization_clients_org_ix').on('organization_clients').columns(['realm', 'org_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['organization_clients', 'organization_admins', 'organizations', 'group_members', 'groups', 'resource_server_configs']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
