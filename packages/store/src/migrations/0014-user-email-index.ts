/**
 * @module migrations/0014-user-email-index
 * Person lookup by e-mail address (the console's "share with") reads the realm's users with that
 * address through an index on (realm, email, username) rather than every user of the realm.
 */
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('users_email_ix').ifNotExists().on('users').columns(['realm', 'email', 'username']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('users_email_ix').ifExists().execute();
}
