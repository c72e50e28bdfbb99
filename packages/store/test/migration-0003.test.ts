/** Migration 0003 (answers and the audit log) on a database that already holds access requests written under 0002. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Migrator } from 'kysely/migration';
import { migrateToLatest, openStore } from '@steward/store';
import { connect } from '../src/connect.ts';
import { migrationProvider, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../src/migrations/index.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

for (const dialect of dialects) {
  describe(`migration 0003 over existing access requests (${dialect})`, () => {
    it('keeps every request, answerable, and starts an empty audit log', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        const connection = connect(db.url);
        try {
          const migrator = new Migrator({ db: connection.db, provider: migrationProvider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
          assert.equal((await migrator.migrateTo('0002-policy-sharing')).error, undefined);
          const row = { realm: 'r1', owner: 'alice', resource_id: 'res-1', requester: 'bob', client_id: 'app', scopes: '["view","print"]', created_at: 10, updated_at: 11 };
          await (connection.db as any).insertInto('access_requests').values([{ ...row, id: 'q1', status: 'pending' }, { ...row, id: 'q2', status: 'denied', client_id: 'other' }]).execute();
        } finally {
          await connection.db.destroy();
        }
        assert.ok((await migrateToLatest(db.url)).includes('0003-access-audit'));
        const store = await openStore(db.url);
        try {
          const kept = await store.accessRequests.get('r1', 'alice', 'q1');
          assert.deepEqual(kept, { realm: 'r1', id: 'q1', owner: 'alice', resourceId: 'res-1', requester: 'bob', clientId: 'app', scopes: ['view', 'print'], status: 'pending', createdAt: 10, updatedAt: 11 });
          assert.equal(await store.accessRequests.answer('r1', 'alice', 'q1', 'approved', 20, ['view']), true);
          assert.deepEqual((await store.accessRequests.get('r1', 'alice', 'q1'))?.approvedScopes, ['view']);
          assert.deepEqual((await store.accessRequests.listDenied('r1', 'alice', 'res-1', 'bob')).map((r) => r.id), ['q2']);
          assert.deepEqual(await store.audit.query('r1', 'alice', { limit: 10, countLimit: 100 }), { events: [], keys: [], total: 0 });
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });
  });
}
