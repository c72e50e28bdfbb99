/**
 * @module migrations/0003-access-audit
 * Answering access requests: the scopes an approval granted (`approved_scopes`, a subset of those
 * asked) and an index for finding a requester's denied requests on a resource.
 * The audit log (`audit_events`): one append-only row per domain event, read per (realm, owner) by time.
 * `seq` is a database-assigned counter that orders events published in the same second; each dialect
 * spells it its own way (SQLite's INTEGER PRIMARY KEY AUTOINCREMENT, PostgreSQL's bigserial).
 */
import { PostgresAdapter } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema.alterTable('access_requests').addColumn('approved_scopes', 'text').execute();
  await db.schema.createIndex('access_requests_requester_ix').on('access_requests').columns(['realm', 'owner', 'resource_id', 'requester']).execute();
  await db.schema
    .createTable('audit_events')
    .addColumn('seq', postgres ? 'bigserial' : 'integer', (c) => (postgres ? c.primaryKey() : c.primaryKey().autoIncrement()))
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('requester', 'text')
    .addColumn('client_id', 'text')
    .addColumn('resource_id', 'text')
    .addColumn('resource_name', 'text')
    .addColumn('scopes', 'text')
    .addColumn('request_id', 'text')
    .addColumn('detail', 'text')
    .execute();
  await db.schema.createIndex('audit_events_id_uq').on('audit_events').columns(['realm', 'id']).unique().execute();
  await db.schema.createIndex('audit_events_owner_at_ix').on('audit_events').columns(['realm', 'owner', 'at', 'seq']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('audit_events').ifExists().execute();
  await db.schema.dropIndex('access_requests_requester_ix').ifExists().execute();
  await db.schema.alterTable('access_requests').dropColumn('approved_scopes').execute();
}
