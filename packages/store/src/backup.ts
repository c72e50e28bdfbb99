/**
 * @module backup
 * Online backup and checked restore of a SQLite database. `backupSqlite` writes the live database to a
 * new file with `VACUUM INTO` while the server keeps serving: one read transaction, so the copy is one
 * consistent snapshot and concurrent writers neither wait nor make it start over. `restoreSqlite` first copies the backup next to the
 * database and checks the copy — it opens as SQLite, `PRAGMA integrity_check` says ok, it holds
 * Steward's migration table and only migrations this version knows — and only then copies it into the
 * database with the backup API, in one step that SQLite makes atomic. A refused file leaves the
 * database untouched. PostgreSQL is backed up with pg_dump/pg_restore (docs/backup.md).
 */
import fs from 'node:fs';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { MIGRATION_TABLE, migrationProvider } from './migrations/index.ts';
import { parseDatabaseUrl } from './url.ts';

/** A backup or restore that cannot be done; the message says why (shown to the operator as is). */
export class BackupError extends Error {
  override name = 'BackupError';
}

function sqliteFile(url: string): string {
  const target = parseDatabaseUrl(url);
  if (target.dialect !== 'sqlite') throw new BackupError('backup and restore work on SQLite databases; back up PostgreSQL with pg_dump and pg_restore (docs/backup.md)');
  if (target.filename === ':memory:') throw new BackupError('an in-memory database has nothing to back up');
  return target.filename;
}

export interface BackupCheck {
  /** Migrations the file has applied, in order. */
  migrations: string[];
  /** Pages of the file. */
  pages: number;
}

/** Checks that `file` is a sound Steward SQLite database; throws BackupError saying what is wrong. */
export async function checkSqliteBackup(file: string): Promise<BackupCheck> {
  if (!fs.existsSync(file)) throw new BackupError(`${file}: no such file`);
  let db: Sqlite.Database;
  try {
    db = new Sqlite(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw new BackupError(`${file} is not a SQLite database (${(e as Error).message})`);
  }
  try {
    let result: unknown[];
    try {
      result = db.pragma('integrity_check') as unknown[];
    } catch (e) {
      throw new BackupError(`${file} is corrupt or truncated (${(e as Error).message})`);
    }
    const verdict = result.map((r) => Object.values(r as object)[0]).join('; ');
    if (verdict !== 'ok') throw new BackupError(`${file} is corrupt or truncated (integrity check: ${verdict.slice(0, 300)})`);
    const table = db.prepare(`select name from sqlite_master where type = 'table' and name = ?`).get(MIGRATION_TABLE);
    if (!table) throw new BackupError(`${file} is not a Steward database (no ${MIGRATION_TABLE} table)`);
    const applied = (db.prepare(`select name from ${MIGRATION_TABLE} order by name`).all() as Array<{ name: string }>).map((r) => r.name);
    if (applied.length === 0) throw new BackupError(`${file} is not a Steward database (no migration applied)`);
    const known = Object.keys(await migrationProvider.getMigrations());
    const unknown = applied.filter((m) => !known.includes(m));
    if (unknown.length > 0) throw new BackupError(`${file} comes from a newer Steward (unknown migrations: ${unknown.join(', ')}); upgrade first`);
    const pages = Number(db.pragma('page_count', { simple: true }));
    return { migrations: applied, pages };
  } finally {
    db.close();
  }
}

/**
 * Writes a consistent copy of the SQLite database at `url` to `destination` (which must not exist),
 * online. Returns the check of the written copy.
 */
export async function backupSqlite(url: string, destination: string): Promise<BackupCheck> {
  const source = sqliteFile(url);
  if (!fs.existsSync(source)) throw new BackupError(`the database ${source} does not exist`);
  const dest = path.resolve(destination);
  if (fs.existsSync(dest)) throw new BackupError(`${dest} exists; choose a new file name (a backup never overwrites)`);
  if (dest === source) throw new BackupError('the backup file must differ from the database');
  const db = new Sqlite(source, { fileMustExist: true, readonly: true, timeout: 5000 });
  try {
    // One read transaction: a consistent snapshot however busy the writers are (WAL lets them go on).
    // SQLite's page-by-page backup API restarts whenever another connection writes, and can starve.
    db.prepare('VACUUM INTO ?').run(dest);
  } catch (e) {
    fs.rmSync(dest, { force: true });
    throw new BackupError(`backup failed: ${(e as Error).message}`);
  } finally {
    db.close();
  }
  return checkSqliteBackup(dest);
}

/**
 * Replaces the content of the SQLite database at `url` with the backup `file`, after checking a copy
 * of it. Stop every server using the database first. Pending migrations of an older backup are
 * applied by the next `steward migrate up` (or start).
 */
export async function restoreSqlite(url: string, file: string): Promise<BackupCheck> {
  const target = sqliteFile(url);
  const source = path.resolve(file);
  if (source === target) throw new BackupError('the backup file is the database itself');
  await checkSqliteBackup(source);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  // Check the very bytes that will be restored: a private copy, checked again.
  const staging = path.join(path.dirname(target), `.${path.basename(target)}.restore-${process.pid}-${Date.now()}`);
  try {
    fs.copyFileSync(source, staging);
    const check = await checkSqliteBackup(staging);
    const copy = new Sqlite(staging, { fileMustExist: true });
    try {
      // After the first step, every remaining page in one more: SQLite holds the destination's lock and
      // writes it in one transaction until the copy completes, so readers never see half of it.
      await copy.backup(target, { progress: () => Number.MAX_SAFE_INTEGER });
    } catch (e) {
      throw new BackupError(`restore failed, the database is unchanged: ${(e as Error).message}`);
    } finally {
      copy.close();
    }
    return check;
  } finally {
    for (const suffix of ['', '-wal', '-shm', '-journal']) fs.rmSync(`${staging}${suffix}`, { force: true });
  }
}
