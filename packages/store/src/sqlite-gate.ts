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
import { MISS, RowCache } from './row-cache.ts';

/** How many prepared statements one connection keeps; the store issues a few dozen shapes. */
const STATEMENT_CACHE_SIZE = 500;

/** The open gates of this process, by database file. */
const openGates = new Map<string, Set<SqliteGate>>();

export class SqliteGate {
  #db: Sqlite.Database | null = null;
  readonly #statements = new Map<string, Sqlite.Statement>();
  /** Held until the connection is opened (Kysely opens it on first use: migrations or a ping). */
  #held = true;
  #waiters: Array<() => void> = [];

  /** The database file (null in memory): connections of this process to one file tell each other of writes. */
  readonly #file: string | null;

  constructor(file: string | null) {
    this.#file = file;
  }

  /** The connection, once Kysely's driver has opened it. */
  attach(db: Sqlite.Database): void {
    this.#db = db;
    if (this.#file !== null) {
      let gates = openGates.get(this.#file);
      if (!gates) openGates.set(this.#file, (gates = new Set()));
      gates.add(this);
    }
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
  /** `PRAGMA data_version` as read during the current callback (see #dataVersion); null once it has ended. */
  #seenDataVersion: number | null = null;
  /** Cached rows (cachedRow), each with the version it was read at. */
  readonly #cache = new RowCache();

  /**
   * Kysely's driver ran a statement that may write (anything but a SELECT). The other connections of
   * this process to the same file learn it at once too (their data_version reading may be current for
   * a callback still running); other processes' connections see it through data_version.
   */
  changed(): void {
    for (const gate of this.#file === null ? [this] : (openGates.get(this.#file) ?? [this])) gate.#generation += 1;
  }

  /**
   * The connection's view of the database as a string that changes whenever its content may have: a
   * write through Kysely in this process (the generation) or a commit by another connection, from this
   * process or another (SQLite's `PRAGMA data_version`). The hot path's own writes (sqlite-gate units:
   * new tokens, tickets, events) change no cached row and do not count; one that does (a revocation)
   * calls `changed()`. Call inside `run`.
   */
  version(): string {
    return `${this.#generation}.${this.#dataVersion()}`;
  }

  /**
   * `PRAGMA data_version` costs a read transaction's start (~2.5 µs, against 0.1 µs for a statement that
   * reads nothing), and a grant makes six cached reads. One reading serves until the current run of
   * callbacks and microtasks ends (process.nextTick runs after the microtask queue has drained): every
   * request whose code runs before then had already arrived when it was read, so for each of them it is
   * as if all their reads happened at that instant. The next callback (an I/O event, a timer) reads it anew.
   */
  #dataVersion(): number {
    if (this.#seenDataVersion === null) {
      this.#seenDataVersion = this.prepare('pragma data_version').pluck().get() as number;
      process.nextTick(() => {
        this.#seenDataVersion = null;
      });
    }
    return this.#seenDataVersion;
  }

  /**
   * The row `read` returns, cached under `key` until the version changes (call inside `run`). For rows
   * read on every request and rarely written (clients, users): a change is seen at once, since any
   * write anywhere makes the next call read again.
   */
  cachedRow<R>(key: string, read: () => R | undefined, options: { misses: boolean } = { misses: true }): R | undefined {
    const version = this.version();
    const hit = this.#cache.get(key, version);
    if (hit !== MISS) return hit as R | undefined;
    const row = read();
    if (row !== undefined || options.misses) this.#cache.set(key, version, row);
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
    if (this.#file !== null) {
      openGates.get(this.#file)?.delete(this);
      if (openGates.get(this.#file)?.size === 0) openGates.delete(this.#file);
    }
    this.#statements.clear();
    this.#cache.clear();
    this.#db?.close();
    this.#db = null;
  }
}
