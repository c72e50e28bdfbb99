/**
 * @module sqlite-dialect
 * Kysely's SQLite dialect, adjusted for several processes sharing one file and for the hot path:
 * - transactions begin with `BEGIN IMMEDIATE`, taking the write lock up front, so a second process
 *   waits on `busy_timeout` instead of failing with SQLITE_BUSY when a deferred transaction would
 *   have to upgrade its read lock;
 * - migrations run in such a transaction (SQLite's DDL is transactional; Kysely assumes not), so the
 *   write lock is the migration lock and concurrent starts apply each migration once;
 * - while Kysely holds the connection (a query, or a transaction across its awaits) the gate knows it,
 *   so the hot path's synchronous units wait for it instead of running inside it (sqlite-gate), and of
 *   every statement it runs that may write, so rows the gate caches are read again after any change.
 */
import { CompiledQuery, SelectQueryNode, SqliteAdapter, SqliteDialect, SqliteDriver } from 'kysely';
import type { DatabaseConnection, DialectAdapter, Driver, SqliteDialectConfig } from 'kysely';
import type { SqliteGate } from './sqlite-gate.ts';

class GatedSqliteDriver extends SqliteDriver {
  readonly #gate: SqliteGate;
  readonly #connections = new WeakMap<DatabaseConnection, DatabaseConnection>();

  constructor(config: SqliteDialectConfig, gate: SqliteGate) {
    super(config);
    this.#gate = gate;
  }

  override async acquireConnection(): Promise<DatabaseConnection> {
    const connection = await super.acquireConnection();
    this.#gate.hold();
    return this.#watched(connection);
  }

  /** The connection, telling the gate of every statement that may write (cached rows are read again). */
  #watched(connection: DatabaseConnection): DatabaseConnection {
    let watched = this.#connections.get(connection);
    if (!watched) {
      const gate = this.#gate;
      watched = {
        executeQuery(compiled) {
          if (!SelectQueryNode.is(compiled.query)) gate.changed();
          return connection.executeQuery(compiled);
        },
        streamQuery: (compiled, chunkSize) => connection.streamQuery(compiled, chunkSize),
      };
      this.#connections.set(connection, watched);
    }
    return watched;
  }

  override async releaseConnection(): Promise<void> {
    await super.releaseConnection();
    this.#gate.release();
  }

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
  readonly #gate: SqliteGate;

  constructor(config: SqliteDialectConfig, gate: SqliteGate) {
    super(config);
    this.#config = config;
    this.#gate = gate;
  }

  override createDriver(): Driver {
    return new GatedSqliteDriver(this.#config, this.#gate);
  }

  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }
}
