/**
 * @module purge
 * Bounded deletes of expired rows: one statement that deletes at most `limit` rows picked by their
 * primary key, so each purge transaction stays short and never holds the database for long. Two nodes
 * purging at once simply find fewer rows; nothing is deleted twice or blocks for long.
 */
import type { Kysely } from 'kysely';
import { affected } from './codec.ts';

/**
 * Deletes rows of `table` whose `column` is set and below `before`, at most `limit` of them when given
 * (`keys` is the primary key: two columns). Returns how many rows went.
 */
export async function deleteBefore(db: Kysely<any>, table: string, keys: [string, string], column: string, before: number, limit?: number): Promise<number> {
  if (limit === undefined) {
    const result = await db.deleteFrom(table).where(column, '<', before).executeTakeFirst();
    return affected(result.numDeletedRows);
  }
  if (!Number.isSafeInteger(limit) || limit <= 0) throw new Error(`purge limit must be a positive integer, got ${limit}`);
  const batch = db.selectFrom(table).select(keys).where(column, '<', before).limit(limit);
  const result = await db
    .deleteFrom(table)
    .where((eb) => eb(eb.refTuple(keys[0], keys[1]), 'in', batch as never))
    .executeTakeFirst();
  return affected(result.numDeletedRows);
}
