/**
 * @module @steward/store
 * The storage ports of @steward/core on Kysely: SQLite (better-sqlite3, the embedded default) and
 * PostgreSQL (pg). `openStore(url)` is all a caller needs.
 */
import { connect } from './connect.ts';
import { kyselyStore, type OpenedStore } from './kysely-store.ts';
import { applyMigrations } from './migrate.ts';
import { registerDurability } from './durability.ts';

export interface OpenStoreOptions {
  /** Apply pending migrations before returning (default true). */
  migrate?: boolean;
  /** PostgreSQL connection pool size (default 10). Ignored for SQLite, which has one connection. */
  poolSize?: number;
}

/**
 * Opens the database named by a `STEWARD_DATABASE_URL`-style URL: `sqlite:./relative.db`,
 * `sqlite:/absolute.db`, `sqlite::memory:`, `postgres://…` or `postgresql://…`. Throws an Error naming
 * STEWARD_DATABASE_URL when the URL is malformed, and whatever the driver throws when the database is
 * unreachable (the store is closed again first).
 */
export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<OpenedStore> {
  const connection = connect(url, options.poolSize === undefined ? {} : { poolSize: options.poolSize });
  // Before the stores are bound: they find the durability of their database by its Kysely instance.
  registerDurability(connection.db, connection);
  const store = kyselyStore(connection.db, connection.dialect, connection.poolStats);
  try {
    if (options.migrate ?? true) await applyMigrations(connection);
    else await store.ping();
  } catch (error) {
    await store.close();
    throw error;
  }
  return store;
}

export { migrateToLatest, migrationStatus } from './migrate.ts';
export { backupSqlite, restoreSqlite, checkSqliteBackup, BackupError } from './backup.ts';
export type { BackupCheck } from './backup.ts';
export type { OpenedStore } from './kysely-store.ts';
export type { MigrationState } from './migrate.ts';
export { parseDatabaseUrl, redact as redactDatabaseUrl } from './url.ts';
export type { DatabaseTarget } from './url.ts';
