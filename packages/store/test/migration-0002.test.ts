/** Migration 0002 (re-shareable policies) on a database that already holds policies written under 0001. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator } from 'kysely/migration';
import { migrateToLatest, openStore } from '@steward/store';
import { connect } from '../src/connect.ts';
import { migrationProvider, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../src/migrations/index.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

for (const dialect of dialects) {
  describe(`migration 0002 over existing policies (${dialect})`, () => {
    it('keeps every policy, indexes its subjects, and allows a re-share of the same id', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        const connection = connect(db.url);
        try {
          const migrator = new Migrator({ db: connection.db, provider: migrationProvider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
          const first = await migrator.migrateTo('0001-initial');
          assert.equal(first.error, undefined);
          const permissions = JSON.stringify([{ subject: 'bob', scopes: ['view'] }, { subject: 'bob', scopes: ['comment'] }, { subject: 'client:app', scopes: ['view'] }]);
          await (connection.db as any).insertInto('policies').values({ realm: 'r1', id: 'res-1', owner: 'alice', rev: 'rev-1', permissions, created_at: 10, updated_at: 11 }).execute();
        } finally {
          await connection.db.destroy();
        }
        // 0002 applies first; later migrations follow it.
        assert.equal((await migrateToLatest(db.url))[0], '0002-policy-sharing');
        const store = await openStore(db.url);
        try {
          const kept = await store.policies.get('r1', 'alice', 'res-1');
          assert.equal(kept?.rev, 'rev-1');
          assert.equal(kept?.resourceOwner, undefined);
          assert.equal(kept?.permissions.length, 3);
          assert.deepEqual((await store.policies.listNaming('r1', 'res-1', 'bob')).map((p) => p.owner), ['alice']);
          assert.deepEqual((await store.policies.listNaming('r1', 'res-1', 'client:app')).map((p) => p.owner), ['alice']);
          const reshare = { realm: 'r1', id: 'res-1', owner: 'bob', resourceOwner: 'alice', rev: 'r', permissions: [{ subject: 'carol', scopes: ['view'] }], createdAt: 1, updatedAt: 1 };
          assert.equal(await store.policies.create(reshare), true);
          assert.deepEqual(await store.policies.get('r1', 'bob', 'res-1'), reshare);
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });
  });
}
