/**
 * @module migrate
 * Runs the versioned migrations with Kysely's Migrator and reports their state. Concurrent starts
 * apply each migration once: PostgreSQL through Kysely's lock, SQLite through the write lock of the
 * migration transaction (other processes) and a per-file queue (this process).
 */
import type { Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { connect } from './connect.ts';
import type { Connection } from './connect.ts';
import { MIGRATION_LOCK_TABLE, MIGRATION_TABLE, migrationProvider } from './migrations/index.ts';
import type { Database } from './schema.ts';

export interface MigrationState {
  name: string;
  applied: boolean;
  /** When it was applied; null while pending. */
  executedAt: Date | null;
}

/** The tail of the migration queue of each SQLite file migrated by this process. */
const fileQueues = new Map<string, Promise<unknown>>();

function migrator(db: Kysely<Database>): Migrator {
  return new Migrator({
    db,
    provider: migrationProvider,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    // Migrations are independent of one another; a database that has a later one (developed on a
    // branch) still takes an earlier one added since, instead of refusing to migrate at all.
    allowUnorderedMigrations: true,
  });
}

/** Applies every pending migration; returns the names applied now. Throws when one fails. */
export function applyMigrations(connection: Connection): Promise<string[]> {
  const key = connection.fileKey;
  if (key === null) return migrate(connection.db);
  const run = (fileQueues.get(key) ?? Promise.resolve()).then(() => migrate(connection.db));
  const tail = run.catch(() => {});
  fileQueues.set(key, tail);
  void tail.then(() => {
    if (fileQueues.get(key) === tail) fileQueues.delete(key);
  });
  return run;
}

async function migrate(db: Kysely<Database>): Promise<string[]> {
  const { error, results = [] } = await migrator(db).migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r) => r.status === 'Error')?.migrationName ?? 'setup';
    throw new Error(`database migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  }
  return results.filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Opens the database at `url`, applies every pending migration, closes it; returns the names applied. */
export async function migrateToLatest(url: string): Promise<string[]> {
  const connection = connect(url, { poolSize: 1 });
  try {
    return await applyMigrations(connection);
  } finally {
    await connection.db.destroy();
  }
}

/** Every known migration in order, with whether and when the database at `url` applied it. */
export async function migrationStatus(url: string): Promise<MigrationState[]> {
  const { db } = connect(url, { poolSize: 1 });
  try {
    const migrations = await migrator(db).getMigrations();
    return migrations.map((m) => ({ name: m.name, applied: m.executedAt !== undefined, executedAt: m.executedAt ?? null }));
  } finally {
    await db.destroy();
  }
}
