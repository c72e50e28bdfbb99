/**
 * @module migrations/0007-rate-limits
 * Limiter state shared by every node through the database: fixed-window request counters keyed by
 * (key, window start), and failed sign-ins per (realm, user name) for the progressive lockout.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('rate_counters')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['key', 'window_start'])
    .execute();
  await db.schema.createIndex('rate_counters_expires_ix').on('rate_counters').column('expires_at').execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('username', 'text', (c) => c.notNull())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('last_failure_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('login_failures_pk', ['realm', 'username'])
    .execute();
  await db.schema.createIndex('login_failures_last_ix').on('login_failures').column('last_failure_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('login_failures').ifExists().execute();
  await db.schema.dropTable('rate_counters').ifExists().execute();
}
