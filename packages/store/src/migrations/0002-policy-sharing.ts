/**
 * @module migrations/0002-policy-sharing
 * Nested (re-shared) policies: a policy is keyed by (realm, owner, id) so a requesting party can hold a
 * policy on another owner's resource (`resource_owner` names that owner), and `policy_subjects` indexes
 * every policy by (realm, resource id, subject) so a grant finds the policies naming a party directly.
 */
import { sql } from 'kysely';
import type { Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Rebuilt rather than altered: SQLite cannot change a primary key in place.
  await db.schema
    .createTable('policies_next')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('resource_owner', 'text')
    .addColumn('rev', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_owner_pk', ['realm', 'owner', 'id'])
    .execute();
  await sql`INSERT INTO policies_next (realm, id, owner, resource_owner, rev, permissions, created_at, updated_at)
    SELECT realm, id, owner, NULL, rev, permissions, created_at, updated_at FROM policies`.execute(db);
  await db.schema.dropTable('policies').execute();
  await db.schema.alterTable('policies_next').renameTo('policies').execute();
  await db.schema.createIndex('policies_realm_id_ix').on('policies').columns(['realm', 'id']).execute();

  await db.schema
    .createTable('policy_subjects')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('resource_id', 'text', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('policy_subjects_pk', ['realm', 'resource_id', 'subject', 'owner'])
    .execute();
  await db.schema.createIndex('policy_subjects_owner_ix').on('policy_subjects').columns(['realm', 'owner', 'resource_id']).execute();

  const rows = await db.selectFrom('policies').select(['realm', 'id', 'owner', 'permissions']).execute();
  for (const row of rows) {
    const subjects = new Set((JSON.parse(row.permissions) as Array<{ subject: string }>).map((p) => p.subject));
    for (const subject of subjects) {
      await db.insertInto('policy_subjects').values({ realm: row.realm, resource_id: row.id, subject, owner: row.owner }).execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('policy_subjects').ifExists().execute();
  await db.schema.dropIndex('policies_realm_id_ix').ifExists().execute();
  await db.deleteFrom('policies').where('resource_owner', 'is not', null).execute();
  await db.schema
    .createTable('policies_prev')
    .addColumn('realm', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('owner', 'text', (c) => c.notNull())
    .addColumn('rev', 'text', (c) => c.notNull())
    .addColumn('permissions', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('policies_pk', ['realm', 'id'])
    .execute();
  await sql`INSERT INTO policies_prev (realm, id, owner, rev, permissions, created_at, updated_at)
    SELECT realm, id, owner, rev, permissions, created_at, updated_at FROM policies`.execute(db);
  await db.schema.dropTable('policies').execute();
  await db.schema.alterTable('policies_prev').renameTo('policies').execute();
  await db.schema.createIndex('policies_realm_owner_ix').on('policies').columns(['realm', 'owner']).execute();
}
