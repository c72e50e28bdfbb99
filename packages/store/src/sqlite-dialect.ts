/**
 * @module sqlite-dialect
 * Kysely's SQLite dialect, adjusted for several processes sharing one file:
 * - transactions begin with `BEGIN IMMEDIATE`, taking the write lock up front, so a second process
 *   waits on `busy_timeout` instead of failing with SQLITE_BUSY when a deferred transaction would
 *   have to upgrade its read lock;
 * - migrations run in such a transaction (SQLite's DDL is transactional; Kysely assumes not), so the
 *   write lock is the migration lock and concurrent starts apply each migration once.
 */
import { CompiledQuery, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  readonly #config: SqliteDialectConfig;

  constructor(config: SqliteDialectConfig) {
    super(config);
    this.#config = config;
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver(this.#config);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
