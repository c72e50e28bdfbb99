/**
 * @module sqlite-gate
 * The one SQLite connection of a store, shared by two kinds of callers:
 * - Kysely, whose queries and transactions hold the connection across awaits (its driver marks the
 *   connection held from `acquireConnection` to `releaseConnection`);
 * - the hot path, which runs prepared statements synchronously: a read, or a whole transaction from
 *   BEGIN to COMMIT without yielding (`run`). It runs at once when Kysely does not hold the connection,
 *   and otherwise as soon as it is released, never inside someone else's transaction.
 * better-sqlite3 is synchronous, so a synchronous unit cannot interleave with anything else in this
 * process; no promise hop, query building or mutex turn is paid per statement.
 */
import type Sqlite from 'better-sqlite3';

/** How many prepared statements one connection keeps; the store issues a few dozen shapes. */
const STATEMENT_CACHE_SIZE = 500;
/** How many cached rows (cachedRow) one connection keeps; beyond, the cache starts afresh. */
const ROW_CACHE_SIZE = 10_000;

export class SqliteGate {
  #db: Sqlite.Database | null = null;
  readonly #statements = new Map<string, Sqlite.Statement>();
  /** Held until the connection is opened (Kysely opens it on first use: migrations or a ping). */
  #held = true;
  #waiters: Array<() => void> = [];

  /** The connection, once Kysely's driver has opened it. */
  attach(db: Sqlite.Database): void {
    this.#db = db;
    this.release();
  }

  /**
   * The statement for this SQL text, prepared once (preparing costs more than running most of ours).
   * Statements whose SQL varies with input (IN lists) simply take more entries.
   */
  prepare(sql: string): Sqlite.Statement {
    let stmt = this.#statements.get(sql);
    if (!stmt) {
      stmt = this.#database().prepare(sql);
      if (this.#statements.size >= STATEMENT_CACHE_SIZE) this.#statements.delete(this.#statements.keys().next().value!);
      this.#statements.set(sql, stmt);
    }
    return stmt;
  }

  /** Bumped by every write through Kysely on this connection (the driver tells): see `version`. */
  #generation = 0;
  /** Cached rows (cachedRow): key → the version they were read at and the row. */
  readonly #cache = new Map<string, { version: string; row: unknown }>();

  /** Kysely's driver ran a statement that may write (anything but a SELECT). */
  changed(): void {
    this.#generation += 1;
  }

  /**
   * The connection's view of the database as a string that changes whenever its content may have: a
   * write through Kysely in this process (the generation) or a commit by another connection, from this
   * process or another (SQLite's `PRAGMA data_version`). The hot path's own writes (tokens, tickets,
   * audit, outbox: sqlite-gate units) never change a cached table and do not count. Call inside `run`.
   */
  version(): string {
    return `${this.#generation}.${(this.prepare('pragma data_version').get() as { data_version: number }).data_version}`;
  }

  /**
   * The row `read` returns, cached under `key` until the version changes (call inside `run`). For rows
   * read on every request and rarely written (clients, users): a change is seen at once, since any
   * write anywhere makes the next call read again.
   */
  cachedRow<R>(key: string, read: () => R | undefined): R | undefined {
    const version = this.version();
    const hit = this.#cache.get(key);
    if (hit && hit.version === version) return hit.row as R | undefined;
    const row = read();
    if (this.#cache.size >= ROW_CACHE_SIZE) this.#cache.clear();
    this.#cache.set(key, { version, row });
    return row;
  }

  /** Kysely's driver took the connection (a query or a transaction is under way). */
  hold(): void {
    this.#held = true;
  }

  /** Kysely's driver gave the connection back: waiting synchronous units may run. */
  release(): void {
    this.#held = false;
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const wake of waiters) wake();
  }

  /**
   * Runs `unit` synchronously on the connection when nobody holds it, else once it is released. The
   * unit must not yield: it is the whole transaction (or the single statement) it runs.
   */
  run<T>(unit: (gate: SqliteGate) => T): Promise<T> {
    if (!this.#held) {
      try {
        return Promise.resolve(unit(this));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    return new Promise<void>((resolve) => this.#waiters.push(resolve)).then(() => this.run(unit));
  }

  /** Every row of a reading statement (call inside `run`). */
  all<R>(sql: string, params: readonly unknown[]): R[] {
    return this.prepare(sql).all(...params) as R[];
  }

  /** The first row of a reading statement, or undefined (call inside `run`). */
  get<R>(sql: string, params: readonly unknown[]): R | undefined {
    return this.prepare(sql).get(...params) as R | undefined;
  }

  /** Runs a writing statement; returns how many rows it changed (call inside `run`). */
  exec(sql: string, params: readonly unknown[]): number {
    return this.prepare(sql).run(...params).changes;
  }

  /** `unit` inside BEGIN IMMEDIATE … COMMIT, rolled back when it throws (call inside `run`). */
  transaction<T>(unit: () => T): T {
    this.exec('begin immediate', []);
    try {
      const result = unit();
      this.exec('commit', []);
      return result;
    } catch (error) {
      if (this.#database().inTransaction) this.exec('rollback', []);
      throw error;
    }
  }

  #database(): Sqlite.Database {
    if (!this.#db) throw new Error('the SQLite connection is not open');
    return this.#db;
  }

  close(): void {
    this.#statements.clear();
    this.#cache.clear();
    this.#db?.close();
    this.#db = null;
  }
}
