/**
 * @module prepared
 * Kysely rebuilds and recompiles a query on every call, which is a measurable share of the hot
 * endpoints (the token endpoint, the permission endpoint, introspection). `firstRow` and `allRows`
 * compile a query shape once per Kysely instance and afterwards run the cached SQL text with the new
 * parameters. On a SQLite store's own instance (not inside a transaction) they run it synchronously
 * through the connection's gate (sqlite-gate): no promise hop or mutex turn per statement.
 */
import { CompiledQuery, sql, type Compilable, type Kysely, type SelectQueryBuilder } from 'kysely';
import { isDeepStrictEqual } from 'node:util';
import { gateOf, pgCacheOf } from './connect.ts';
import { STORE_VERSION_SQL } from './pg-version.ts';
import { MISS } from './row-cache.ts';

const cache = new WeakMap<Kysely<any>, Map<string, string>>();

/**
 * The SQL of the query named `key`. `build()` must build the query so that its compiled parameters
 * are exactly `params`, in order; the first call checks that.
 */
export function compiledSql(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<unknown>): string {
  let byKey = cache.get(db);
  if (!byKey) cache.set(db, (byKey = new Map()));
  const known = byKey.get(key);
  if (known !== undefined) return known;
  const compiled = build().compile();
  if (!isDeepStrictEqual([...compiled.parameters], [...params])) {
    throw new Error(`prepared query ${key}: parameters do not match the built query`);
  }
  byKey.set(key, compiled.sql);
  return compiled.sql;
}

function isSelect(sql: string): boolean {
  return sql.startsWith('select ');
}

/**
 * The rows of the compiled query (only the first when `first`): synchronously through the gate on a
 * SQLite store's own instance, else through Kysely. A statement that writes (a DELETE … RETURNING: a
 * consumed code or refresh token) changes what cached reads may hold.
 */
async function rowsOf<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>, first: boolean): Promise<R[]> {
  const sql = compiledSql(db, key, params, build);
  const gate = gateOf(db);
  if (gate) {
    return gate.run((g) => {
      const rows = first ? oneOrNone(g.get<R>(sql, params)) : g.all<R>(sql, params);
      if (!isSelect(sql)) g.changed();
      return rows;
    });
  }
  return (await db.executeQuery<R>(CompiledQuery.raw(sql, [...params]))).rows;
}

function oneOrNone<R>(row: R | undefined): R[] {
  return row === undefined ? [] : [row];
}

/** Every row of the query named `key` with `params` (see compiledSql). */
export function allRows<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>): Promise<R[]> {
  return rowsOf(db, key, params, build, false);
}

/** The first row of the query named `key` with `params`, or undefined (see compiledSql). */
export async function firstRow<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>): Promise<R | undefined> {
  return (await rowsOf(db, key, params, build, true))[0];
}

/**
 * Like firstRow, for a hot read that is never cached but comes first in its request (a permission
 * ticket): on a PostgreSQL store's own instance the row carries the store version too, which then serves
 * the request's cached reads that follow (pg-version `observe`), saving them a round trip of their own.
 */
export async function versionedRow<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => SelectQueryBuilder<any, any, R>): Promise<R | undefined> {
  const pgCache = pgCacheOf(db);
  if (!pgCache) return firstRow(db, key, params, build);
  const row = await firstRow(db, `${key}.versioned`, params, () => build().select(sql<string>`${sql.raw(STORE_VERSION_SQL)}`.as('store_version')) as Compilable<R & { store_version: string }>);
  if (!row) return undefined;
  const { store_version: version, ...rest } = row;
  pgCache.version.observe(version);
  return rest as R;
}

/** IN lists up to this length get a cached shape each; longer ones are built every time. */
const MAX_CACHED_IN_LIST = 8;
/**
 * The most values one IN (…) binds: SQLite refuses more than 32,766 variables in a statement and
 * PostgreSQL more than 65,535 parameters; a longer list is read in chunks of this many.
 */
export const IN_LIST_CHUNK = 500;

/**
 * Every row of a query whose parameters are `params` followed by the `list` of an IN (…), `build(list)`
 * building it for (part of) the list: one compiled shape per list length up to MAX_CACHED_IN_LIST, its
 * rows cached as cachedRows; built afresh beyond; in chunks of IN_LIST_CHUNK beyond that (rows in any order).
 */
export async function inList<R>(db: Kysely<any>, key: string, params: readonly unknown[], list: readonly unknown[], build: (list: readonly unknown[]) => Compilable<R>): Promise<readonly R[]> {
  if (list.length <= MAX_CACHED_IN_LIST) return cachedRows(db, `${key}:${list.length}`, [...params, ...list], () => build(list));
  const rows: R[] = [];
  for (let at = 0; at < list.length; at += IN_LIST_CHUNK) {
    rows.push(...(await db.executeQuery<R>(build(list.slice(at, at + IN_LIST_CHUNK)).compile())).rows);
  }
  return rows;
}

/**
 * Like firstRow, for a row read on nearly every request and rarely written (a client, a user, a token
 * record): cached by the store until anything may have changed it, so a change is seen at once. On
 * SQLite until anything writes to the database (sqlite-gate's version: a write through Kysely here, or a
 * commit by any other connection); on PostgreSQL until the cluster-wide version moves (pg-version: any
 * commit to a versioned table, by any node — a cached query must read only those tables, listed in
 * migration 0010). Inside a transaction it is read every time. With `misses: false` an absent row is
 * not remembered (a row the hot path may insert without a version change).
 */
export async function cachedRow<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>, options: { misses: boolean } = { misses: true }): Promise<R | undefined> {
  const gate = gateOf(db);
  if (gate) {
    const sql = compiledSql(db, key, params, build);
    return gate.run((g) => g.cachedRow(JSON.stringify([key, ...params]), () => g.get<R>(sql, params), options));
  }
  return pgCached(db, key, params, options.misses, () => firstRow(db, key, params, build));
}

/**
 * Like allRows, cached as cachedRow is: for what a grant reads of the owner's side (resources, policies,
 * re-shares naming the party, the party's groups). The rows are frozen: callers map them, never change them.
 */
export async function cachedRows<R>(db: Kysely<any>, key: string, params: readonly unknown[], build: () => Compilable<R>): Promise<readonly R[]> {
  const gate = gateOf(db);
  if (gate) {
    const sql = compiledSql(db, key, params, build);
    return gate.run((g) => g.cachedRow(JSON.stringify([key, ...params]), () => Object.freeze(g.all<R>(sql, params)))!);
  }
  return (await pgCached(db, key, params, true, async () => Object.freeze(await allRows(db, key, params, build))))!;
}

/** A PostgreSQL store's cached read (see cachedRow); `read` every time inside a transaction. */
async function pgCached<T>(db: Kysely<any>, key: string, params: readonly unknown[], misses: boolean, read: () => Promise<T | undefined>): Promise<T | undefined> {
  const cache = pgCacheOf(db);
  if (!cache) return read();
  const cacheKey = JSON.stringify([key, ...params]);
  // The version is read before the row: a change committed in between is seen by the next reader.
  const version = await cache.version.current();
  const hit = cache.rows.get(cacheKey, version);
  if (hit !== MISS) return hit as T | undefined;
  const row = await read();
  if (row !== undefined || misses) cache.rows.set(cacheKey, version, row);
  return row;
}
