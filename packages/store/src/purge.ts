/**
 * @module purge
 * Deletes of expired rows in small batches that yield. Each statement deletes at most
 * `MAX_ROWS_PER_STATEMENT` rows (fewer when the caller's limit is smaller, and only as many as fit a
 * few milliseconds), picked through the index on the expiry column, and the event loop turns after
 * each one before the next starts, after a pause as long as the statement. On SQLite the store has one connection and better-sqlite3 runs synchronously: without the
 * turn, a purge's statements would follow one another in microtasks and no request could run until
 * the last; with it, requests that arrived meanwhile run between two batches, and no batch holds the
 * connection for more than a few milliseconds. Two nodes purging at once simply find fewer rows;
 * nothing is deleted twice or blocks for long.
 *
 * The batch is picked by the rows' addresses, which the expiry index holds, so each statement reads
 * the index up to the batch's end and then only the rows it deletes: SQLite's `rowid` (a covering scan
 * of the index, then rowid lookups), PostgreSQL's `ctid` (an index scan under a LIMIT, then a TID scan;
 * picking by primary key let the planner hash-join a sequential scan of the whole table instead). The
 * filter is not repeated on the outer DELETE: PostgreSQL could then bitmap-scan every expired row for
 * each batch; a row updated between the pick and the delete gets a new `ctid` and is left for the next
 * batch, and on SQLite nothing else writes within the one statement.
 */
import { PostgresAdapter, sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import { performance } from 'node:perf_hooks';
import { setImmediate as turn, setTimeout as sleep } from 'node:timers/promises';
import { affected } from './codec.ts';

/** The most rows one purge statement deletes, whatever limit the caller asks. */
export const MAX_ROWS_PER_STATEMENT = 1000;

/** Which rows of the table go: a condition the table's index on the expiry column serves. */
export type PurgeFilter = (eb: ExpressionBuilder<any, any>) => Expression<SqlBool>;

/** How a batch picks its rows: by address (`rowid` on SQLite, `ctid` on PostgreSQL), or by a SQLite `WITHOUT ROWID` table's key. */
export type PurgeAddress = 'rowid' | 'ctid' | { key: readonly string[] };

/**
 * Deletes rows of `table` whose `column` is set and below `before`: all of them, or at most `limit`
 * when given; rows are picked by address (above), or on SQLite by `withoutRowidKey` for a table
 * created `WITHOUT ROWID` (which has no rowid; the expiry index holds the key). Returns how many rows went.
 */
export function deleteBefore(db: Kysely<any>, table: string, column: string, before: number, limit?: number, withoutRowidKey?: readonly string[]): Promise<number> {
  return deleteInBatches(db, table, (eb) => eb(column, '<', before), limit, withoutRowidKey);
}

/** How long one purge statement should take (it adapts its size to stay under). */
export const STATEMENT_BUDGET_MS = 4;
/** The fewest rows one statement deletes while there are more. */
const MIN_ROWS_PER_STATEMENT = 16;

/**
 * Deletes the rows of `table` that `filter` selects, in statements of at most `MAX_ROWS_PER_STATEMENT`
 * rows with a turn of the event loop after each: all of them, or at most `limit` when given (the
 * statement that reaches the limit is the last). Returns how many rows went.
 *
 * Each statement is sized to take about STATEMENT_BUDGET_MS (halved when one took longer, doubled up
 * to the maximum when one took less than half), and the purge then waits as long as the statement
 * took before the next: it uses the database at most half the time. On SQLite, where one writer holds
 * the whole database (across processes too, where a waiting writer polls with growing sleeps), a
 * request's write waits for one short statement, not for the purge; on PostgreSQL, which locks rows,
 * the purge's backend leaves the CPU and the disk to the requests half the time.
 */
export async function deleteInBatches(db: Kysely<any>, table: string, filter: PurgeFilter, limit?: number, withoutRowidKey?: readonly string[]): Promise<number> {
  if (limit !== undefined && (!Number.isSafeInteger(limit) || limit <= 0)) throw new Error(`purge limit must be a positive integer, got ${limit}`);
  const address: PurgeAddress = db.getExecutor().adapter instanceof PostgresAdapter ? 'ctid' : withoutRowidKey ? { key: withoutRowidKey } : 'rowid';
  let total = 0;
  let rows = MIN_ROWS_PER_STATEMENT * 8;
  for (;;) {
    const size = Math.min(rows, limit === undefined ? rows : limit - total);
    const started = performance.now();
    const n = await deleteBatch(db, table, address, filter, size);
    const took = performance.now() - started;
    total += n;
    if (n < size || (limit !== undefined && total >= limit)) {
      await turn();
      return total;
    }
    if (took > STATEMENT_BUDGET_MS) rows = Math.max(MIN_ROWS_PER_STATEMENT, Math.floor(rows / 2));
    else if (took < STATEMENT_BUDGET_MS / 2) rows = Math.min(MAX_ROWS_PER_STATEMENT, rows * 2);
    // Requests that arrived during the statement run before the next one (and before the caller goes on).
    await sleep(Math.min(took, 50));
  }
}

/** One statement: at most `size` rows, picked by address (or key) through the filter's index. */
async function deleteBatch(db: Kysely<any>, table: string, address: PurgeAddress, filter: PurgeFilter, size: number): Promise<number> {
  const result = await purgeBatchQuery(db, table, address, filter, size).executeTakeFirst();
  return affected(result.numDeletedRows);
}

/** The statement of one batch (exported for the plan test). */
export function purgeBatchQuery(db: Kysely<any>, table: string, address: PurgeAddress, filter: PurgeFilter, size: number) {
  if (typeof address === 'object') {
    const key = sql.join(address.key.map((column) => sql.ref(column)));
    const batch = db.selectFrom(table).select(address.key as string[]).where(filter).limit(size);
    return db.deleteFrom(table).where(sql<boolean>`(${key}) in (${batch})`);
  }
  const batch = db.selectFrom(table).select(sql.ref(address).as('address')).where(filter).limit(size);
  const picked = address === 'ctid' ? sql<boolean>`ctid = any(array(${batch}))` : sql<boolean>`rowid in (${batch})`;
  return db.deleteFrom(table).where(picked);
}
