/**
 * @module connect
 * Opens a Kysely instance for a database URL: better-sqlite3 (WAL, synchronous=NORMAL, foreign keys,
 * busy timeout) or a pg pool whose bigint and numeric values come back as JS numbers.
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { ImmediateSqliteDialect } from './sqlite-dialect.ts';
import { parseDatabaseUrl } from './url.ts';

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
}

export const DEFAULT_POOL_SIZE = 10;
export const SQLITE_BUSY_TIMEOUT_MS = 5000;

const PG_INT8 = 20;
const PG_NUMERIC = 1700;

export function connect(url: string, options: ConnectOptions = {}): Connection {
  const target = parseDatabaseUrl(url);
  if (target.dialect === 'sqlite') {
    const fileKey = target.filename === ':memory:' ? null : target.filename;
    return { db: new Kysely<Database>({ dialect: sqliteDialect(target.filename) }), dialect: 'sqlite', fileKey };
  }
  const pool = new pg.Pool({
    connectionString: target.connectionString,
    max: options.poolSize ?? DEFAULT_POOL_SIZE,
    types: { getTypeParser: numericTypeParser as typeof pg.types.getTypeParser },
  });
  // An idle client may fail (server restart, terminated backend); the pool drops it. Without a
  // listener the 'error' event would crash the process.
  pool.on('error', () => {});
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), dialect: 'postgres', fileKey: null };
}

function sqliteDialect(filename: string): ImmediateSqliteDialect {
  return new ImmediateSqliteDialect({
    database: async () => {
      if (filename !== ':memory:') fs.mkdirSync(path.dirname(filename), { recursive: true });
      const sqlite = new Sqlite(filename, { timeout: SQLITE_BUSY_TIMEOUT_MS });
      sqlite.pragma('journal_mode = WAL');
      sqlite.pragma('synchronous = NORMAL');
      sqlite.pragma('foreign_keys = ON');
      sqlite.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
      return sqlite;
    },
  });
}

/** pg's parsers, except that int8 (counts, bigint times) and numeric become JS numbers. */
function numericTypeParser(oid: number, format?: 'text' | 'binary'): (value: string) => unknown {
  if (oid === PG_INT8 || oid === PG_NUMERIC) return Number;
  return pg.types.getTypeParser(oid, format ?? 'text') as (value: string) => unknown;
}
