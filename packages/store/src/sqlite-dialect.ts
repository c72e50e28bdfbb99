/**
 * @module sqlite-dialect
 * Kysely's SQLite dialect with write transactions: `BEGIN IMMEDIATE` takes the write lock up front, so
 * two processes sharing one file wait on `busy_timeout` instead of failing with SQLITE_BUSY when a
 * deferred transaction would have to upgrade its read lock.
 */
import { CompiledQuery, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, Driver, SqliteDialectConfig } from 'kysely';

class ImmediateSqliteDriver extends SqliteDriver {
  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin immediate'));
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
}
