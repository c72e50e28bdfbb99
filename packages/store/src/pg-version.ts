/**
 * @module pg-version
 * The cluster-wide store version of a PostgreSQL store (migration 0010): every commit that may change
 * a cached row moves it, on whichever node it ran. Cached reads (prepared.ts) serve a row only while
 * the version they read is the one it was cached at, so a change is seen by every node's next request.
 *
 * Reading it is a round trip, so one reading serves every cached read of the requests that asked for it
 * while it was in flight: the read is shared only by callers from the callback (and its microtasks) that
 * started it — all of them had arrived before it was sent — and its value only by the code that runs in
 * the callback where it arrives. Any later callback reads anew. For each request it is therefore as if
 * all its cached reads happened at one instant after it arrived: it sees every change committed before.
 */
import { CompiledQuery, type Kysely } from 'kysely';
import { STORE_VERSION_TABLE } from './migrations/0010-store-version.ts';

/** The version as a scalar subquery, for a statement that reads it along with something else. */
export const STORE_VERSION_SQL = `(select version::text from ${STORE_VERSION_TABLE} where id = 1)`;

export class PgVersion {
  readonly #db: Kysely<any>;
  /** The reading, during the callback where it arrived; null otherwise. */
  #seen: string | null = null;
  /** The reading in flight, shared during the callback that started it; null otherwise. */
  #pending: Promise<string> | null = null;

  constructor(db: Kysely<any>) {
    this.#db = db;
  }

  /** The current version (a string to compare), as described in the module comment. */
  current(): string | Promise<string> {
    if (this.#seen !== null) return this.#seen;
    if (this.#pending === null) {
      const pending = this.#read().then((version) => {
        this.#seen = version;
        process.nextTick(() => {
          this.#seen = null;
        });
        return version;
      });
      this.#pending = pending;
      process.nextTick(() => {
        if (this.#pending === pending) this.#pending = null;
      });
    }
    return this.#pending;
  }

  /**
   * A version read by another statement of a request (the permission ticket's read carries it): it
   * serves, like current()'s own reading, the code running in the callback where that statement's
   * result arrived, and saves the request a round trip.
   */
  observe(version: string): void {
    if (this.#seen !== null) return;
    this.#seen = version;
    process.nextTick(() => {
      this.#seen = null;
    });
  }

  async #read(): Promise<string> {
    const { rows } = await this.#db.executeQuery<{ version: string }>(CompiledQuery.raw(`select ${STORE_VERSION_SQL} as version`, []));
    if (!rows[0]) throw new Error(`${STORE_VERSION_TABLE} has no row: the database is not migrated`);
    return rows[0].version;
  }
}
