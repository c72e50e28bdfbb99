/**
 * @module prepared
 * Kysely rebuilds and recompiles a query on every call, which is a measurable share of the hot
 * endpoints (introspection, the token endpoint). `firstRow` compiles a query shape once per Kysely
 * instance and afterwards runs the cached SQL text with the new parameters.
 */
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { isDeepStrictEqual } from 'node:util';

const cache = new WeakMap<Kysely<any>, Map<string, string>>();

/**
 * Runs the query named `key` with `params` and returns its first row. `build(params)` must build the
 * query so that its compiled parameters are exactly `params`, in order; the first call checks that.
 */
export async function firstRow<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>): Promise<R | undefined> {
  let byKey = cache.get(db);
  if (!byKey) cache.set(db, (byKey = new Map()));
  const sql = byKey.get(key);
  if (sql !== undefined) {
    const result = await db.executeQuery<R>(CompiledQuery.raw(sql, [...params]));
    return result.rows[0];
  }
  const compiled = build().compile();
  if (!isDeepStrictEqual([...compiled.parameters], [...params])) {
    throw new Error(`prepared query ${key}: parameters do not match the built query`);
  }
  byKey.set(key, compiled.sql);
  return (await db.executeQuery<R>(compiled)).rows[0];
}
