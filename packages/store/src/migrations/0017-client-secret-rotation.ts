/**
 * @module migrations/0017-client-secret-rotation
 * A rotated client secret stays valid for a grace period: the SHA-256 of the secret a rotation
 * replaced and the end of its grace (seconds since the epoch), both null when there is none.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').addColumn('previous_secret_hash', 'text').execute();
  await db.schema.alterTable('clients').addColumn('previous_secret_until', 'bigint').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('clients').dropColumn('previous_secret_until').execute();
  await db.schema.alterTable('clients').dropColumn('previous_secret_hash').execute();
}
