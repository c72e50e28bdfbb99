/**
 * @module stores/operations
 * What operators watch, beyond the core's ports: pending migrations (readiness), connection pool use,
 * live sessions and durable syncs (metrics), and how access-removing writes survive a power loss. Each
 * is one cheap statement or no I/O at all.
 */
import type { Kysely } from 'kysely';
import { gateOf } from '../connect.ts';
import { sql } from 'kysely';
import { MIGRATION_TABLE, migrationProvider } from '../migrations/index.ts';
import type { Database } from '../schema.ts';
import { durabilityOf, type DurabilityReport } from '../durability.ts';

/** PostgreSQL connection pool use; SQLite has one connection and reports none. */
export interface PoolStats {
  /** Most connections the pool opens. */
  max: number;
  /** Connections open now. */
  total: number;
  /** Open connections not in use. */
  idle: number;
  /** Queries waiting for a connection. */
  waiting: number;
}

export interface StoreOperations {
  /** Names of this version's migrations the database has not applied (all of them when it has none); throws when the database does not answer. */
  pendingMigrations(): Promise<string[]>;
  /** Null on SQLite. */
  poolStats(): PoolStats | null;
  /** Sessions (owner API and browser) unexpired at `now`, in every realm. */
  activeSessions(now: number): Promise<number>;
  /** WAL fsyncs made for commits that removed access since the store opened (SQLite file only; no I/O). */
  /** Refreshes the query planner's statistics where the database does not itself (SQLite: `PRAGMA optimize`, bounded). */
  optimize(): Promise<void>;
  durableSyncs(): number;
  /** How access-removing writes survive a power loss (durability); one `SHOW` on PostgreSQL. */
  durability(): Promise<DurabilityReport>;
}

export function storeOperations(db: Kysely<Database>, poolStats: () => PoolStats | null): StoreOperations {
  return {
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
