/**
 * @module ports/store/operations
 * What operators watch of the database behind a Store, beyond the core's ports: which database it is,
 * pending migrations (readiness), connection pool use, live sessions and durable syncs (metrics), how
 * access-removing writes survive a power loss, and the planner's statistics (the periodic purge). The
 * server reads it; no core service does. Each is one cheap statement or no I/O at all.
 */

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

/**
 * How access-removing writes of a store survive a power loss:
 * - `wal-fsync`: a SQLite file; the store fsyncs the WAL after each such commit (other commits stay at
 *   `synchronous=NORMAL`);
 * - `every-commit`: PostgreSQL whose `synchronous_commit` is not `off`: every commit is flushed before
 *   it is acknowledged;
 * - `none`: PostgreSQL with `synchronous_commit=off`, or an in-memory SQLite database;
 * - `unknown`: a store not opened by `openStore`.
 */
export type DurabilityMode = 'wal-fsync' | 'every-commit' | 'none' | 'unknown';

export interface DurabilityReport {
  mode: DurabilityMode;
  /** PostgreSQL's `synchronous_commit` as the store's connections see it; null on SQLite. */
  synchronousCommit: string | null;
  /** WAL fsyncs made for access-removing commits since the store opened (always 0 unless `wal-fsync`). */
  durableSyncs: number;
}

export interface StoreOperations {
  /** The database behind the store. */
  readonly dialect: 'sqlite' | 'postgres';
  /** Names of this version's migrations the database has not applied (all of them when it has none); throws when the database does not answer. */
  pendingMigrations(): Promise<string[]>;
  /** Null on SQLite. */
  poolStats(): PoolStats | null;
  /** Sessions (owner API and browser) unexpired at `now`, in every realm. */
  activeSessions(now: number): Promise<number>;
  /** Refreshes the query planner's statistics where the database does not itself (SQLite: `PRAGMA optimize`, bounded). */
  optimize(): Promise<void>;
  /** WAL fsyncs made for commits that removed access since the store opened (SQLite file only; no I/O). */
  durableSyncs(): number;
  /** How access-removing writes survive a power loss (durability); one `SHOW` on PostgreSQL. */
  durability(): Promise<DurabilityReport>;
}
