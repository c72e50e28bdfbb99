/**
 * @module durability
 * Durability by class. SQLite runs in WAL mode with `synchronous=NORMAL`: a commit survives a crash of
 * the process, but a power loss (or an OS crash) may roll back the last commits, because the WAL is
 * only fsynced before a checkpoint. That is harmless for what issues access (a lost token fails
 * closed) but not for a write that removes access (a revocation, a narrowed or deleted share, a
 * disabled user, a retired key…), which must never come back. The stores mark such writes; the store
 * then fsyncs the WAL once the write has committed and before the caller hears of it, which is what
 * `synchronous=FULL` does after every commit (SQLite: "PRAGMA synchronous", "Write-Ahead Logging").
 * `PRAGMA synchronous` cannot change inside an open transaction, so a per-commit pragma would not fit
 * transactions that span awaits; an fsync of our own after the commit gives the same guarantee.
 *
 * PostgreSQL makes every commit durable by itself (`synchronous_commit`, on by default): nothing to do
 * here but report the setting. An in-memory SQLite database has nothing to make durable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import type { DurabilityReport } from '@steward/core';
import type { Database } from './schema.ts';

/** What a store method says after a write that removes access has run and changed something. */
export interface WriteDurability {
  /**
   * On the database itself: the write has committed, so it is made durable now (throws when the
   * fsync fails: the write is then not known to be durable). Inside a transaction: it is made durable
   * right after the transaction commits.
   */
  accessRemoved(): void;
}

/** For a store built outside `bindStores` whose writes need no sync of their own. */
export const NO_SYNC: WriteDurability = { accessRemoved() {} };

/**
 * Fsyncs the write-ahead log of one SQLite database file (`<file>-wal`). The log is opened for each
 * sync and closed again: no descriptor outlives the call, so a log that SQLite deleted (the last
 * connection closed) or that was replaced is never synced through a stale descriptor. When the log
 * is a file this object has not synced before (another inode), the directory is synced too, as SQLite
 * does for a new log, so that the file itself survives. When there is no log, every commit is already
 * in the database file (SQLite deletes the log only after a checkpoint, which syncs the database
 * file), which is synced instead.
 */
export class WalSync {
  readonly #database: string;
  readonly #wal: string;
  #syncedInode: number | null = null;
  #syncs = 0;

  /** `databaseFile`: the absolute path of the SQLite database. */
  constructor(databaseFile: string) {
    this.#database = databaseFile;
    this.#wal = `${databaseFile}-wal`;
  }

  /** How many syncs have completed. */
  get syncs(): number {
    return this.#syncs;
  }

  /** Flushes the log (or, without one, the database file) to stable storage; throws when that fails. */
  sync(): void {
    let fd: number;
    let file = this.#wal;
    try {
      fd = fs.openSync(file, WRITABLE_FOR_SYNC);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
      file = this.#database;
      fd = fs.openSync(file, WRITABLE_FOR_SYNC);
    }
    try {
      fs.fsyncSync(fd);
      if (file === this.#wal) {
        const inode = fs.fstatSync(fd).ino;
        if (inode !== this.#syncedInode) {
          syncDirectory(path.dirname(this.#wal));
          this.#syncedInode = inode;
        }
      }
    } finally {
      fs.closeSync(fd);
    }
    this.#syncs += 1;
  }
}

/** Windows flushes a file only through a handle open for writing; POSIX fsync works on any descriptor. */
const WRITABLE_FOR_SYNC = process.platform === 'win32' ? 'r+' : 'r';

function syncDirectory(dir: string): void {
  // Windows has no directory fsync (and cannot open a directory this way); NTFS journals the entry.
  if (process.platform === 'win32') return;
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** A transaction's marks: at most one sync, after the commit. */
export class TransactionDurability implements WriteDurability {
  readonly #wal: WalSync | null;
  #removed = false;

  constructor(wal: WalSync | null) {
    this.#wal = wal;
  }

  accessRemoved(): void {
    this.#removed = true;
  }

  /** Call once the transaction has committed (never after a rollback). */
  committed(): void {
    if (this.#removed) this.#wal?.sync();
  }
}

type Target = { kind: 'sqlite-file'; wal: WalSync } | { kind: 'sqlite-memory' } | { kind: 'postgres' } | { kind: 'unknown' };

/** The durability of one store (one Kysely instance): its WAL sync, if any, and what it reports. */
export class StoreDurability {
  readonly #target: Target;
  readonly #wal: WalSync | null;
  /** For the stores bound to the database itself: each mark syncs at once. */
  readonly immediate: WriteDurability;

  constructor(target: { dialect: 'sqlite' | 'postgres'; fileKey: string | null } | null) {
    if (target === null) this.#target = { kind: 'unknown' };
    else if (target.dialect === 'postgres') this.#target = { kind: 'postgres' };
    else if (target.fileKey === null) this.#target = { kind: 'sqlite-memory' };
    else this.#target = { kind: 'sqlite-file', wal: new WalSync(target.fileKey) };
    this.#wal = this.#target.kind === 'sqlite-file' ? this.#target.wal : null;
    const wal = this.#wal;
    this.immediate = { accessRemoved: () => wal?.sync() };
  }

  /** The marks of one new transaction. */
  transaction(): TransactionDurability {
    return new TransactionDurability(this.#wal);
  }

  /** WAL fsyncs made for access-removing commits so far. */
  get syncs(): number {
    return this.#wal?.syncs ?? 0;
  }

  /** One `SHOW` on PostgreSQL; no I/O on SQLite. */
  async report(db: Kysely<Database>): Promise<DurabilityReport> {
    const durableSyncs = this.syncs;
    switch (this.#target.kind) {
      case 'sqlite-file':
        return { mode: 'wal-fsync', synchronousCommit: null, durableSyncs };
      case 'sqlite-memory':
        return { mode: 'none', synchronousCommit: null, durableSyncs };
      case 'unknown':
        return { mode: 'unknown', synchronousCommit: null, durableSyncs };
      case 'postgres': {
        const { rows } = await sql<{ synchronous_commit: string }>`show synchronous_commit`.execute(db);
        const setting = String(rows[0]?.synchronous_commit ?? '');
        // Every value but `off` waits for the local WAL flush before a commit is acknowledged.
        return { mode: setting === 'off' ? 'none' : 'every-commit', synchronousCommit: setting, durableSyncs };
      }
    }
  }
}

const byDatabase = new WeakMap<Kysely<Database>, StoreDurability>();
const UNKNOWN = new StoreDurability(null);

/** Records the durability of a store's own Kysely instance; `openStore` calls it before binding the stores. */
export function registerDurability(db: Kysely<Database>, target: { dialect: 'sqlite' | 'postgres'; fileKey: string | null }): StoreDurability {
  const durability = new StoreDurability(target);
  byDatabase.set(db, durability);
  return durability;
}

/** The durability registered for `db`; for any other instance, one that syncs nothing and reports `unknown`. */
export function durabilityOf(db: Kysely<Database>): StoreDurability {
  return byDatabase.get(db) ?? UNKNOWN;
}
