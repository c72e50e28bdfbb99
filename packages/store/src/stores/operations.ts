/**
 * @module stores/operations
 * The operations port (ports/store/operations) on Kysely: pending migrations, pool use, live sessions,
 * planner statistics and durability of the store's database.
 */
import type { Kysely } from 'kysely';
import { gateOf } from '../connect.ts';
import { sql } from 'kysely';
import { MIGRATION_TABLE, migrationProvider } from '../migrations/index.ts';
import type { Database } from '../schema.ts';
import { durabilityOf } from '../durability.ts';
import type { PoolStats, StoreOperations } from '@steward/core';

export function storeOperations(db: Kysely<Database>, dialect: StoreOperations['dialect'], poolStats: () => PoolStats | null): StoreOperations {
  return {
    dialect,
    async pendingMigrations() {
      const known = Object.keys(await migrationProvider.getMigrations());
      let applied: Set<string>;
      try {
        const rows = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
        applied = new Set(rows.rows.map((r) => r.name));
      } catch (error) {
        // A database that answers but has no migration table yet has everything pending.
        await sql`select 1`.execute(db);
        void error;
        applied = new Set();
      }
      return known.filter((name) => !applied.has(name));
    },
    poolStats,
    async activeSessions(now) {
      const row = await db.selectFrom('sessions').select((eb) => eb.fn.countAll<number>().as('n')).where('expires_at', '>', now).executeTakeFirst();
      return Number(row?.n ?? 0);
    },
    async optimize() {
      // SQLite keeps its planner statistics only when asked; PostgreSQL's autovacuum analyzes by itself.
      if (gateOf(db)) await sql`pragma optimize = 0x10002`.execute(db);
    },
    durableSyncs: () => durabilityOf(db).syncs,
    durability: () => durabilityOf(db).report(db),
  };
}
