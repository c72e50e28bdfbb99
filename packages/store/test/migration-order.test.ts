/**
 * A database that already has later migrations still takes an earlier one added since (migrations are
 * independent; they are applied in name order among the pending ones), and status reports it pending.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { connect } from '../src/connect.ts';
import { migrateToLatest, migrationStatus } from '../src/migrate.ts';
import { freshDatabaseUrl } from './databases.ts';

describe('migrations out of order', () => {
  it('applies an earlier migration missing from a database that has later ones', async () => {
    const db = await freshDatabaseUrl('sqlite');
    try {
      await migrateToLatest(db.url);
      const { db: k } = connect(db.url);
      await sql`delete from steward_migration where name = '0006-admin-keys'`.execute(k);
      for (const ix of ['sessions_realm_user_ix', 'sessions_expires_ix', 'keys_retired_ix']) await sql`drop index ${sql.ref(ix)}`.execute(k);
      await k.destroy();
      const states = await migrationStatus(db.url);
      assert.deepEqual(states.filter((m) => !m.applied).map((m) => m.name), ['0006-admin-keys']);
      assert.ok(states.at(-1)!.applied, 'later migrations stay applied');
      assert.deepEqual(await migrateToLatest(db.url), ['0006-admin-keys']);
      assert.ok((await migrationStatus(db.url)).every((m) => m.applied));
    } finally {
      await db.drop();
    }
  });
});
