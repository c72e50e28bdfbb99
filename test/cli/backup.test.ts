/**
 * Backup and restore. SQLite: `steward backup` (a real process) copies the database while the server
 * writes; `steward restore` refuses corrupt, truncated and foreign files leaving the data untouched,
 * and restores a good backup. PostgreSQL: the documented pg_dump / pg_restore procedure (docs/backup.md)
 * carries a Steward database over to a new one.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { migrationStatus, openStore } from '@steward/store';
import { dialects, freshDatabaseUrl } from '../../packages/store/test/databases.ts';
import { startTestSteward, type TestSteward } from '../helpers/steward.ts';
import { cliEnv, runInProcess, spawnCli } from './run.ts';

const run = promisify(execFile);

function user(realm: string, username: string) {
  return { realm, id: `id-${username}`, username, email: null, passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA', admin: false, disabled: false, createdAt: 1 };
}

function usernames(file: string): string[] {
  const db = new Sqlite(file, { readonly: true });
  try {
    return (db.prepare(`select username from users where realm = 'demo' order by username`).all() as Array<{ username: string }>).map((r) => r.username);
  } finally {
    db.close();
  }
}

if (dialects.includes('sqlite')) {
  describe('SQLite backup and restore', () => {
    let s: TestSteward;
    let dir: string;
    let dbFile: string;
    let env: Record<string, string>;
    const backupFile = () => path.join(dir, 'backup.db');

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-backup-'));
      dbFile = path.join(dir, 'live', 'steward.db');
      s = await startTestSteward('sqlite', { databaseUrl: `sqlite:${dbFile}` });
      env = cliEnv(`sqlite:${dbFile}`);
    });
    after(async () => {
      await s?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('backs up online while the server writes, to a consistent file', async () => {
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await s.deps.store.users.create(user('demo', `during-${String(written++).padStart(5, '0')}`));
          // SQLite calls complete without I/O: let the event loop see the backup process end.
          await new Promise((resolve) => setImmediate(resolve));
        }
      })();
      const res = await spawnCli(['backup', backupFile(), '--json'], env);
      writing = false;
      await writer;
      assert.equal(res.code, 0, res.stderr);
      const result = JSON.parse(res.stdout);
      assert.ok(result.migrations.includes('0001-initial'));
      const copied = usernames(backupFile());
      assert.ok(copied.includes('alice'), 'the demo realm is in the backup');
      const during = copied.filter((u) => u.startsWith('during-'));
      // A consistent prefix of the writes: no gaps (each write is one transaction).
      assert.deepEqual(during, during.map((_, i) => `during-${String(i).padStart(5, '0')}`));
      assert.ok(during.length <= written);
      const again = await runInProcess(['backup', backupFile()], env);
      assert.equal(again.code, 1, 'never overwrites');
      assert.match(again.stderr, /exists/);
    });

    it('refuses corrupt, truncated and foreign files, leaving the database untouched', async () => {
      await s.deps.store.users.create(user('demo', 'after-backup'));
      await s.close();
      const before = usernames(dbFile);
      assert.ok(before.includes('after-backup'));
      const good = fs.readFileSync(backupFile());
      const corrupt = Buffer.from(good);
      corrupt.fill(0xa5, 4096, Math.min(corrupt.length, 4096 * 6));
      const files: Record<string, Buffer | string> = {
        'corrupt.db': corrupt,
        'truncated.db': good.subarray(0, Math.floor(good.length / 3)),
        'text.db': 'not a database at all, just text that is long enough to look like something\n'.repeat(20),
        'empty.db': Buffer.alloc(0),
      };
      const foreign = new Sqlite(path.join(dir, 'foreign.db'));
      foreign.exec('create table notes (id integer primary key, body text); insert into notes (body) values (\'x\')');
      foreign.close();
      const cases = [...Object.keys(files), 'foreign.db', 'missing.db'];
      for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), content);
      for (const name of cases) {
        const res = name === 'corrupt.db' ? await spawnCli(['restore', path.join(dir, name)], env) : await runInProcess(['restore', path.join(dir, name)], env);
        assert.equal(res.code, 1, `${name}: ${res.stdout}`);
        assert.match(res.stderr, /corrupt|truncated|not a SQLite database|not a Steward database|no such file/, `${name}: ${res.stderr}`);
        assert.deepEqual(usernames(dbFile), before, `${name} left the database untouched`);
      }
      assert.deepEqual(fs.readdirSync(path.dirname(dbFile)).filter((f) => f.includes('restore')), [], 'no staging file left behind');
    });

    it('restores a good backup', async () => {
      const res = await runInProcess(['restore', backupFile(), '--json'], env);
      assert.equal(res.code, 0, res.stderr);
      const after = usernames(dbFile);
      assert.ok(after.includes('alice'));
      assert.ok(!after.includes('after-backup'), 'the database is the backup again');
      const store = await openStore(`sqlite:${dbFile}`);
      try {
        assert.ok(await store.realms.get('demo'));
      } finally {
        await store.close();
      }
    });
  });
}

if (dialects.includes('postgres')) {
  describe('PostgreSQL backup and restore with pg_dump and pg_restore', () => {
    let s: TestSteward | null = null;
    let source: { url: string; drop(): Promise<void> };
    let target: { url: string; drop(): Promise<void> };
    let dir: string;

    before(async () => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-pgdump-'));
      source = await freshDatabaseUrl('postgres');
      target = await freshDatabaseUrl('postgres');
    });
    after(async () => {
      await s?.close();
      await source?.drop();
      await target?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('carries every table and the migration state over to a new database', async () => {
      s = await startTestSteward('postgres', { databaseUrl: source.url });
      await s.deps.store.users.create(user('demo', 'before-dump'));
      const dump = path.join(dir, 'steward.dump');
      // The procedure of docs/backup.md (online: pg_dump reads one consistent snapshot).
      await run('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--file=${dump}`, source.url]);
      await s.deps.store.users.create(user('demo', 'after-dump'));
      await run('pg_restore', ['--no-owner', '--no-privileges', '--exit-on-error', `--dbname=${target.url}`, dump]);
      const states = await migrationStatus(target.url);
      assert.ok(states.every((m) => m.applied), 'no pending migration after the restore');
      const store = await openStore(target.url, { migrate: false });
      try {
        const names = (await store.users.list('demo')).map((u) => u.username);
        assert.ok(names.includes('alice') && names.includes('before-dump'));
        assert.ok(!names.includes('after-dump'));
        assert.equal((await store.keys.list('demo')).length, 2);
      } finally {
        await store.close();
      }
      // The CLI's backup points PostgreSQL users at this procedure.
      const res = await runInProcess(['backup', path.join(dir, 'x.db')], cliEnv(source.url));
      assert.equal(res.code, 1);
      assert.match(res.stderr, /pg_dump/);
    });
  });
}
