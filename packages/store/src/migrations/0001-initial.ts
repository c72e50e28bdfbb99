/**
 * @module migrations/0001-initial
 * Every aggregate of the storage ports, written once with Kysely's dialect-neutral schema builder.
 * Every key includes the realm. Times are integer seconds (bigint), flags 0/1 integers, lists and
 * objects JSON text. No foreign keys: each port stands alone and the services keep the references.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('realms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('settings', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('keys')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('kid', 'text', (c) => c.notNull())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('private_jwk', 'text', (c) => c.notNull())
    .addColumn('public_jwk', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('active_from', 'bigint', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .addPrimaryKeyConstraint('keys_pk', ['realm', 'kid'])
    .execute();

  await db.schema
    .createTable('users')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('email', 'text')
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('admin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('users_pk', ['realm', 'id'])
    .addUniqueConstraint('users_realm_username_uq', ['realm', 'username'])
    .execute();

  await db.schema
    .createTable('clients')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('secret_hash', 'text')
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('grant_types', 'text', (c) => c.notNull())
    .addColumn('redirect_uris', 'text', (c) => c.notNull())
    .addColumn('claims_redirect_uris', 'text', (c) => c.notNull())
    .addColumn('uma_scopes', 'text', (c) => c.notNull())
    .addColumn('signing_alg', 'text')
    .addColumn('rpt_refresh_tokens', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('disabled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('clients_pk', ['realm', 'client_id'])
    .execute();

  await db.schema
    .createTable('resources')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('resource_server', 'text', (c) => c.notNull())
    .addColumn('name', 'text')
    .addColumn('type', 'text')
    .addColumn('icon_uri', 'text')
    .addColumn('description', 'text')
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('extra', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('resources_pk', ['realm', 'id'])
    .execute();
  await db.schema
    .createIndex('resources_realm_owner_ix')
    .on('resources')
    .columns(['realm', 'owner', 'created_at'])
    .execute();

  await db.schema
    .createTable('policies')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('rev', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_pk', ['realm', 'id'])
    .execute();
  await db.schema.createIndex('policies_realm_owner_ix').on('policies').columns(['realm', 'owner']).execute();

  await db.schema
    .createTable('tickets')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('resource_server', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('claims', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tickets_pk', ['realm', 'hash'])
    .execute();
  await db.schema.createIndex('tickets_expires_ix').on('tickets').column('expires_at').execute();

  await db.schema
    .createTable('tokens')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('grant_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('revoked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('data', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('tokens_pk', ['realm', 'id'])
    .execute();
  await db.schema.createIndex('tokens_realm_grant_ix').on('tokens').columns(['realm', 'grant_id']).execute();
  await db.schema.createIndex('tokens_expires_ix').on('tokens').column('expires_at').execute();

  await db.schema
    .createTable('sessions')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('sessions_pk', ['realm', 'hash'])
    .execute();

  await db.schema
    .createTable('access_requests')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('requester', 'text', (c) => c.notNull())
    .addColumn('client_id', 'text', (c) => c.notNull())
    .addColumn('scopes', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('access_requests_pk', ['realm', 'id'])
    .execute();
  await db.schema
    .createIndex('access_requests_owner_ix')
    .on('access_requests')
    .columns(['realm', 'owner', 'created_at'])
    .execute();
  // At most one pending request per (realm, owner, resource, requester, client): upsertPending's target.
  await db.schema
    .createIndex('access_requests_pending_uq')
    .on('access_requests')
    .columns(['realm', 'owner', 'resource_id', 'requester', 'client_id'])
    .unique()
    .where(sql.ref('status'), '=', 'pending')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'access_requests',
    'sessions',
    'tokens',
    'tickets',
    'policies',
    'resources',
    'clients',
    'users',
    'keys',
    'realms',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
