/**
 * @module test/databases
 * Fresh, isolated databases for tests of any package. SQLite: a new file in its own temporary
 * directory. PostgreSQL: a new database on the server named by STEWARD_TEST_POSTGRES_URL.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export type TestDialect = 'sqlite' | 'postgres';

const ALL_DIALECTS: TestDialect[] = ['sqlite', 'postgres'];
const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

/** Both dialects, unless STEWARD_TEST_DIALECTS lists a subset (comma-separated). */
export const dialects: Array<'sqlite' | 'postgres'> = selectDialects(process.env.STEWARD_TEST_DIALECTS);

function selectDialects(env: string | undefined): TestDialect[] {
  if (env === undefined || env.trim() === '') return [...ALL_DIALECTS];
  const wanted = env.split(',').map((d) => d.trim().toLowerCase()).filter((d) => d !== '');
  for (const d of wanted) {
    if (!ALL_DIALECTS.includes(d as TestDialect)) {
      throw new Error(`STEWARD_TEST_DIALECTS: unknown dialect "${d}" (expected sqlite, postgres)`);
    }
  }
  return ALL_DIALECTS.filter((d) => wanted.includes(d));
}

/** The PostgreSQL server tests create their databases on. */
export function testPostgresUrl(): string {
  return process.env.STEWARD_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL;
}

/**
 * A URL to a new, empty database. `drop()` removes it (PostgreSQL: `DROP DATABASE … WITH (FORCE)`,
 * which ends any connection still open; SQLite: deletes the directory). It closes nothing of the
 * caller's: close your store first.
 */
export async function freshDatabaseUrl(dialect: 'sqlite' | 'postgres', options: { icuLocale?: string } = {}): Promise<{ url: string; drop(): Promise<void> }> {
  return dialect === 'sqlite' ? freshSqlite() : freshPostgres(options.icuLocale);
}

async function freshSqlite(): Promise<{ url: string; drop(): Promise<void> }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-test-'));
  return {
    url: `sqlite:${path.join(dir, 'steward.db')}`,
    drop: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** PostgreSQL: with `icuLocale` (letters and digits only, e.g. `en-US`), the database's text collates by that ICU locale. */
async function freshPostgres(icuLocale?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = testPostgresUrl();
  const name = `steward_t_${randomBytes(8).toString('hex')}`;
  if (icuLocale !== undefined && !/^[A-Za-z0-9-]+$/.test(icuLocale)) throw new Error(`not an ICU locale: ${icuLocale}`);
  await onServer(admin, icuLocale === undefined ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE template0 LOCALE_PROVIDER icu ICU_LOCALE '${icuLocale}' LOCALE 'C.UTF-8'`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  let dropped: Promise<void> | null = null;
  return {
    url: url.toString(),
    drop: () => (dropped ??= onServer(admin, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)),
  };
}

async function onServer(connectionString: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  client.on('error', () => {});
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
