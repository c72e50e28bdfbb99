/**
 * @module migrations/0009-party-indexes
 * Lookups by party lead with (realm, party): the policies naming a subject ("shared with me") get an
 * index on policy_subjects by (realm, subject), and a user's groups an index on group_members by
 * (realm, user, group) that covers the lookup, so neither reads the realm's rows (SQLite preferred the
 * primary key's (realm, …) prefix over the former non-covering (realm, user_id) index).
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('policy_subjects_subject_ix').on('policy_subjects').columns(['realm', 'subject', 'owner', 'resource_id']).execute();
  await db.schema.createIndex('group_members_user_group_ix').on('group_members').columns(['realm', 'user_id', 'group_id']).execute();
  await db.schema.dropIndex('group_members_user_ix').ifExists().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('group_members_user_ix').on('group_members').columns(['realm', 'user_id']).execute();
  await db.schema.dropIndex('group_members_user_group_ix').ifExists().execute();
  await db.schema.dropIndex('policy_subjects_subject_ix').ifExists().execute();
}
