/**
 * @module connect
 * Opens a Kysely instance for a database URL: better-sqlite3 (WAL, synchronous=NORMAL, foreign keys,
 * busy timeout) or a pg pool whose bigint and numeric values come back as JS numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, type SqliteDatabase } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { PgVersion } from './pg-version.ts';
import { RowCache } from './row-cache.ts';
import { SqliteGate } from './sqlite-gate.ts';
import { parseDatabaseUrl } from './url.ts';
import type { PoolStats } from '@steward/core';

export interface ConnectOptions {
  /** PostgreSQL pool size (default 10). */
  poolSize?: number;
}

export interface Connection {
  db: Kysely<Database>;
  dialect: 'sqlite' | 'postgres';
  /**
   * For a SQLite file, its absolute path: connections to one file within a process must not hold
   * transactions at the same time (better-sqlite3 waits for a lock synchronously, blocking the very
   * event loop the holder needs), so callers serialize such work on this key. Null otherwise.
   */
  fileKey: string | null;
  /** PostgreSQL pool use right now; null for SQLite. */
  poolStats(): PoolStats | null;
  /** SQLite: the connection's gate for synchronous units (sqlite-gate); null for PostgreSQL. */
  gate: SqliteGate | null;
}

/** The gate of each SQLite Kysely instance opened here (a transaction's executor has none). */
const gates = new WeakMap<object, SqliteGate>();

/** The synchronous gate of `db` when it is a SQLite store's own Kysely instance, else null. */
export function gateOf(db: object): SqliteGate | null {
  return gates.get(db) ?? null;
}

/** A PostgreSQL store's own Kysely instance: its cluster-wide version and its cached rows. */
export interface PgCache {
  version: PgVersion;
  rows: RowCache;
}

const pgCaches = new WeakMap<object, PgCache>();

/** The version and row cache of `db` when it is a PostgreSQL store's own Kysely instance, else null. */
export function pgCacheOf(db: object): PgCache | null {
  return pgCaches.get(db) ?? null;
}

export const DEFAULT_POOL_SIZE = 10;
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export function connect(url: string, options: ConnectOptions = {}): Connection {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const fileKey = target.filename === ':memory:' ? null : target.filename;
    const gate = new SqliteGate(fileKey);
    const db = new Kysely<Database>({ dialect: sqliteDialect(target.filename, gate) });
    gates.set(db, gate);
    return { db, dialect: 'sqlite', fileKey, poolStats: () => null, gate };
  }
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    types: { getTypeParser: numericTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client may fail (server restart, terminated backend); the pool drops it. Without a
  // listener the 'error' event would crash the process.
  pool.on('error', () => {});
  const max = options.poolSize ?? DEFAULT_POOL_SIZE;
  const poolStats = () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: nulSafe(pool) }) });
  pgCaches.set(db, { version: new PgVersion(db), rows: new RowCache() });
  return { db, dialect: 'postgres', fileKey: null, poolStats, gate: null };
}

/**
 * PostgreSQL text cannot hold NUL (U+0000) and refuses a query whose parameter contains one. SQLite
 * stores it and simply finds no match. So that a hostile `client_id=a%00` is an unknown client on both
 * stores (and never a 500), NUL in a string parameter is sent as U+FFFD, which no stored id contains.
 */
const guarded = new WeakSet<pg.PoolClient>();

function nulSafe(pool: pg.Pool): pg.Pool {
  const clean = (v: unknown) => (typeof v === 'string' && v.includes('\u0000') ? v.replaceAll('\u0000', '\uFFFD') : v);
  return new Proxy(pool, {
    get(target, prop, receiver) {
      if (prop !== 'connect') return Reflect.get(target, prop, receiver);
      return async () => {
        const client = await target.connect();
        // The pool listens for errors of idle clients only: a connection lost while a client is checked
        // out between two statements (a server restart mid-transaction) would otherwise be an uncaught
        // 'error' event that ends the process. The statement that follows fails instead.
        if (!guarded.has(client)) {
          guarded.add(client);
          client.on('error', () => {});
        }
        return new Proxy(client, {
          get(c, p, r) {
            if (p !== 'query') return Reflect.get(c, p, r);
            return (text: unknown, values?: unknown[], ...rest: unknown[]) =>
              (c.query as (...a: unknown[]) => unknown)(text, Array.isArray(values) ? values.map(clean) : values, ...rest);
          },
        });
      };
    },
  });
}

function sqliteDialect(filename: string, gate: SqliteGate): ImmediateSqliteDialect {
  return new ImmediateSqliteDialect(
    {
      database: async () => {
        if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
        const sqlite = new Sqlite(filename, { timeout: SQLITE_BUSY_TIMEOUT_MS });
        sqlite.pragma('journal_mode = WAL');
        sqlite.pragma('synchronous = NORMAL');
        // Checkpoint (and fsync) every ~40 MB of WAL instead of every 4 MB: a third less write cost per
        // commit on the token endpoint; the WAL is truncated back after each checkpoint.
        sqlite.pragma('wal_autocheckpoint = 10000');
        sqlite.pragma('journal_size_limit = 67108864');
        // A 64 MB page cache and memory-mapped reads keep the hot B-tree pages of tokens and tickets in memory.
        sqlite.pragma('cache_size = -65536');
        sqlite.pragma('mmap_size = 268435456');
        sqlite.pragma('foreign_keys = ON');
        sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
        // Statistics for the query planner (SQLite: "PRAGMA optimize", as advised for long-lived
        // connections): each ANALYZE bounded to ~400 rows per index, so it costs milliseconds at any size.
        sqlite.pragma('analysis_limit = 400');
        sqlite.pragma('optimize = 0x10002');
        gate.attach(sqlite);
        // Kysely prepares every query anew; the gate's statement cache serves it too. Kysely runs one
        // query at a time on the connection, so a cached statement is never run twice at once.
        return { close: () => gate.close(), prepare: (sql: string) => gate.prepare(sql) as unknown as ReturnType<SqliteDatabase['prepare']> };
      },
    },
    gate,
  );
}

/** pg's parsers, except that int8 (counts, bigint times) and numeric become JS numbers. */
function numericTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === PG_INT8 || oid === PG_NUMERIC) return Number;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}
