/**
 * @module migrations/0006-admin-keys
 * Indexes for administration and housekeeping: sessions by user (disabling or deleting a user ends
 * their sessions) and by expiry (purge), keys by retirement (purge of retired private keys). No table
 * changes: key rotation uses the existing `active_from` / `retired_at` columns.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('sessions_realm_user_ix').on('sessions').columns(['realm', 'user_id']).execute();
  await db.schema.createIndex('sessions_expires_ix').on('sessions').column('expires_at').execute();
  await db.schema.createIndex('keys_retired_ix').on('keys').column('retired_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('keys_retired_ix').ifExists().execute();
  await db.schema.dropIndex('sessions_expires_ix').ifExists().execute();
  await db.schema.dropIndex('sessions_realm_user_ix').ifExists().execute();
}
