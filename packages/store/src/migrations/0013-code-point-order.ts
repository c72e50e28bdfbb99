/**
 * @module migrations/0013-code-point-order
 * "Shared with me" merges the resource ids naming each of a user's subjects (her name, her groups) in
 * code point order and continues each list after the last id it showed. SQLite orders text that way
 * already; PostgreSQL orders by the database's collation, which may ignore punctuation or case at
 * first (en_US, say), so there the list is read with `COLLATE "C"` and its index is rebuilt with it.
 */
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create index if not exists policy_subjects_subject_resource_c_ix on policy_subjects (realm, subject, resource_id collate "C", owner)`.execute(db);
  await db.schema.dropIndex('policy_subjects_subject_resource_ix').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) return;
  await sql`create index if not exists policy_subjects_subject_resource_ix on policy_subjects (realm, subject, resource_id, owner)`.execute(db);
  await db.schema.dropIndex('policy_subjects_subject_resource_c_ix').ifExists().execute();
}
