/** openStore, the database URL and the migration entry points, on every dialect under test. */
import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import Sqlite from 'better-sqlite3';
import { migrateToLatest, migrationStatus, openStore, parseDatabaseUrl } from '@steward/store';
import { dialects, freshDatabaseUrl } from './databases.ts';
import { realm, T, ticket, user } from './suite/fixtures.ts';

const CHILD = path.join(import.meta.dirname, 'helpers', 'child.ts');
const run = promisify(execFile);

/** Runs the child script in `n` processes at once (same Node binary); returns their parsed outputs. */
async function children(n: number, args: string[]): Promise<Array<Record<string, unknown>>> {
  const startAt = String(Date.now() + 1500);
  const outputs = await Promise.all(Array.from({ length: n }, () => run(process.execPath, [CHILD, startAt, ...args])));
  return outputs.map((o) => JSON.parse(o.stdout.trim()) as Record<string, unknown>);
}

describe('database URL', () => {
  it('accepts the documented forms', () => {
    assert.deepEqual(parseDatabaseUrl('sqlite::memory:'), { dialect: 'sqlite', filename: ':memory:' });
    assert.deepEqual(parseDatabaseUrl('sqlite:/var/lib/steward/s.db'), { dialect: 'sqlite', filename: '/var/lib/steward/s.db' });
    assert.deepEqual(parseDatabaseUrl('sqlite:./data/steward.db'), {
      dialect: 'sqlite',
      filename: path.join(process.cwd(), 'data', 'steward.db'),
    });
    for (const url of ['postgres://u:p@db:5432/steward', 'postgresql://db/steward?sslmode=require']) {
      assert.deepEqual(parseDatabaseUrl(url), { dialect: 'postgres', connectionString: url });
    }
  });

  it('rejects malformed URLs naming STEWARD_DATABASE_URL, without echoing a password', async () => {
    for (const url of ['', 'mysql://db/x', 'sqlite:', 'sqlite:./dir/', 'sqlite://x.db', 'postgres://u:hunter2@', 'postgres:///x']) {
      await assert.rejects(openStore(url), (e: Error) => {
        assert.match(e.message, /STEWARD_DATABASE_URL/);
        assert.doesNotMatch(e.message, /hunter2/);
        return true;
      });
    }
  });
});

describe('openStore on sqlite', { skip: !dialects.includes('sqlite') }, () => {
  it('works in memory', async () => {
    const store = await openStore('sqlite::memory:');
    assert.equal(store.operations.dialect, 'sqlite');
    const r = realm();
    await store.realms.create(r);
    assert.deepEqual(await store.realms.get(r.id), r);
    await store.close();
    await store.close();
  });

  it('creates the parent directory and uses WAL journaling', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'steward-open-'));
    try {
      const file = path.join(dir, 'nested', 'deeper', 'steward.db');
      const store = await openStore(`sqlite:${file}`);
      await store.ping();
      await store.close();
      const raw = new Sqlite(file, { readonly: true });
      assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
      raw.close();
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});

for (const dialect of dialects) {
  describe(`migrations on ${dialect}`, () => {
    it('migrateToLatest applies pending migrations once; migrationStatus reports them', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        const before = await migrationStatus(db.url);
        assert.ok(before.length >= 1);
        assert.ok(before.every((m) => !m.applied && m.executedAt === null));
        assert.deepEqual(await migrateToLatest(db.url), before.map((m) => m.name));
        assert.deepEqual(await migrateToLatest(db.url), []);
        const after = await migrationStatus(db.url);
        assert.ok(after.every((m) => m.applied && m.executedAt instanceof Date));
        const store = await openStore(db.url, { migrate: false });
        assert.equal(store.operations.dialect, dialect);
        await store.realms.create(realm());
        await store.close();
      } finally {
        await db.drop();
      }
    });

    it('several stores starting at once on an empty database migrate it once', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        const stores = await Promise.all([1, 2, 3, 4].map(() => openStore(db.url, { poolSize: 2 })));
        await stores[0]!.realms.create(realm({ id: 'shared' }));
        for (const s of stores) assert.equal((await s.realms.get('shared'))?.id, 'shared');
        await Promise.all(stores.map((s) => s.close()));
        assert.ok((await migrationStatus(db.url)).every((m) => m.applied));
      } finally {
        await db.drop();
      }
    });

    it('several processes starting at once migrate once, and exactly one consumes a ticket', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        assert.deepEqual(await children(4, [db.url, 'open']), Array(4).fill({ ok: true }));
        const store = await openStore(db.url, { migrate: false });
        const t = ticket('r1');
        await store.tickets.insert(t);
        await store.close();
        const results = await children(6, [db.url, 'consume', 'r1', t.hash, String(T)]);
        assert.equal(results.filter((r) => r.got === true).length, 1);
      } finally {
        await db.drop();
      }
    });

    it('a user disabled by another process is read disabled at once by a running store', async () => {
      const db = await freshDatabaseUrl(dialect);
      const store = await openStore(db.url);
      try {
        const u = user('r1');
        await store.users.create(u);
        // Read twice: whatever a store may cache, it holds this user now.
        assert.equal((await store.users.get('r1', u.id))?.disabled, false);
        assert.equal((await store.users.get('r1', u.id))?.disabled, false);
        assert.deepEqual(await children(1, [db.url, 'disable-user', 'r1', u.id]), [{ updated: true }]);
        assert.equal((await store.users.get('r1', u.id))?.disabled, true);
      } finally {
        await store.close();
        await db.drop();
      }
    });
  });
}

describe('planner statistics on sqlite', { skip: !dialects.includes('sqlite') }, () => {
  it('are gathered when a store opens a database with data, and refreshed by operations.optimize', async () => {
    const db = await freshDatabaseUrl('sqlite');
    const file = db.url.slice('sqlite:'.length);
    const analyzed = (table: string) => {
      const raw = new Sqlite(file, { readonly: true });
      try {
        const hasStats = raw.prepare("select 1 from sqlite_master where name = 'sqlite_stat1'").get() !== undefined;
        return hasStats && raw.prepare('select 1 from sqlite_stat1 where tbl = ?').get(table) !== undefined;
      } finally {
        raw.close();
      }
    };
    try {
      let store = await openStore(db.url);
      await store.groups.create({ realm: 'r1', id: 'g1', name: 'friends', visible: true, createdAt: T });
      for (let i = 0; i < 300; i++) await store.groups.addMember('r1', 'g1', `user-${i}`);
      await store.close();
      assert.equal(analyzed('group_members'), false, 'nothing analyzed yet');
      store = await openStore(db.url);
      assert.equal(analyzed('group_members'), true, 'analyzed when the store opened');
      await store.groups.create({ realm: 'r1', id: 'g2', name: 'family', visible: true, createdAt: T });
      for (let i = 0; i < 3000; i++) await store.groups.addMember('r1', 'g2', `user-${i}`);
      await store.operations.optimize();
      await store.close();
      const raw = new Sqlite(file, { readonly: true });
      const stat = raw.prepare("select stat from sqlite_stat1 where tbl = 'group_members' and idx = 'group_members_user_group_ix'").get() as { stat: string } | undefined;
      raw.close();
      assert.ok(stat && Number(stat.stat.split(' ')[0]) > 300, `statistics follow the data: ${stat?.stat}`);
    } finally {
      await db.drop();
    }
  });
});

describe('openStore on postgres', { skip: !dialects.includes('postgres') }, () => {
  it('rejects when the server is unreachable', async () => {
    await assert.rejects(openStore('postgres://postgres@127.0.0.1:1/none'), /ECONNREFUSED|connect/);
  });
});
