/**
 * @module keyset
 * The condition of a keyset page: the rows whose sort key comes after a given key. Written as
 * `k1 >= v1 and (k1 > v1 or (k2 >= v2 and (…)))` rather than a row-value comparison or a plain OR,
 * so that on both dialects the first key bounds the index range (the page starts where the previous
 * one ended, not at the owner's first row) and the others only break ties.
 */
import { sql, type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool } from 'kysely';
import type { SortKey, SortValue } from '@steward/core';

/** An ORDER BY term or a key column: a column name or a raw SQL expression. */
export type KeyExpression = RawBuilder<unknown>;

/** `keys` after `values` in ascending order (before them when `descending`). */
export function keysetAfter(keys: readonly KeyExpression[], values: SortKey, descending: boolean): RawBuilder<SqlBool> {
  if (keys.length !== values.length || keys.length === 0) throw new Error('keyset: a key needs one value per column');
  const strict = sql.raw(descending ? '<' : '>');
  const loose = sql.raw(descending ? '<=' : '>=');
  const at = (i: number): RawBuilder<SqlBool> => {
    const k = keys[i]!;
    const v = values[i]!;
    if (i === keys.length - 1) return sql<SqlBool>`${k} ${strict} ${v}`;
    return sql<SqlBool>`(${k} ${loose} ${v} and (${k} ${strict} ${v} or ${at(i + 1)}))`;
  };
  return at(0);
}

/** The ORDER BY list of the keys, each ascending or each descending. */
export function keysetOrder(keys: readonly KeyExpression[], descending: boolean): RawBuilder<unknown> {
  const direction = sql.raw(descending ? ' desc' : '');
  return sql.join(keys.map((k) => sql`${k}${direction}`));
}

/** One keyset page of `query`: the rows after `after` (all when undefined) in the keys' order, at most `limit`. */
export function keysetPage<Q extends SelectQueryBuilder<any, any, any>>(query: Q, keys: readonly KeyExpression[], after: SortKey | undefined, descending: boolean, limit: number): Q {
  const from = after === undefined ? query : (query.where(keysetAfter(keys, after, descending)) as Q);
  return from.orderBy(keysetOrder(keys, descending)).limit(limit) as Q;
}

/** Most rows one counting statement reads: a longer count is taken a chunk at a time (boundedCount). */
export const COUNT_CHUNK = 10_000;

/**
 * How many rows the (narrowed, not yet selecting) query yields, counting no further than `limit`; 0 when
 * `limit` is not positive. Beyond COUNT_CHUNK rows the count goes on a chunk at a time along `keys`
 * (the list's keyset order, served by its index): each statement finds the key COUNT_CHUNK rows on,
 * and the event loop is yielded between statements, so an exact count of a million rows never holds
 * SQLite's one connection (or the process) for more than one chunk's read.
 */
export async function boundedCount(db: Kysely<any>, query: SelectQueryBuilder<any, any, {}>, limit: number, keys: readonly KeyExpression[], chunkSize = COUNT_CHUNK): Promise<number> {
  if (limit <= 0) return 0;
  let total = 0;
  let from = query;
  for (;;) {
    const chunk = Math.min(chunkSize, limit - total);
    // What is left to count fits one chunk (an ESTIMATE, the last chunk of an EXACT): one statement.
    if (limit - total <= chunkSize) return total + (await countUpTo(db, from, chunk));
    // The chunk's last row: its key, when the chunk is full.
    const last = await from
      .select(keys.map((k, i) => sql`${k}`.as(`k${i}`)))
      .orderBy(keysetOrder(keys, false))
      .offset(chunk - 1)
      .limit(1)
      .executeTakeFirst();
    if (!last) return total + (await countUpTo(db, from, chunk));
    total += chunk;
    if (total >= limit) return total;
    from = query.where(keysetAfter(keys, keys.map((_, i) => (last as Record<string, SortValue>)[`k${i}`]!), false));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The count of at most `limit` rows of the query, in one statement. */
async function countUpTo(db: Kysely<any>, query: SelectQueryBuilder<any, any, {}>, limit: number): Promise<number> {
  const inner = query.select(sql<number>`1`.as('one')).limit(limit);
  const row = await db.selectFrom(inner.as('bounded')).select((eb) => eb.fn.countAll<string | number | bigint>().as('n')).executeTakeFirst();
  return Number(row?.n ?? 0);
}

/** `haystack` contains the lower-case `needle` (ASCII letters folded; LIKE's wildcards escaped, no pattern from input). */
export function containsText(haystack: KeyExpression, needle: string): RawBuilder<SqlBool> {
  const escaped = needle.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_');
  return sql<SqlBool>`lower(${haystack}) like ${`%${escaped}%`} escape '\\'`;
}
