/**
 * Durability by class (durability): on a SQLite file, every write that removes access is followed by
 * one fsync of the write-ahead log once it has committed (once per transaction, after the COMMIT),
 * exactly when it changed something; issuance (tokens, tickets, audit) is never synced. In memory there
 * is nothing to sync; PostgreSQL reports its `synchronous_commit`.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, it, mock } from 'node:test';
import pg from 'pg';
import type { Store } from '@steward/core';
import { openStore, type OpenedStore } from '@steward/store';
import { WalSync } from '../src/durability.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';
import { client, key, policy, realm, resource, session, T, ticket, token, unique, user } from './suite/fixtures.ts';

type Stores = Omit<Store, 'transaction' | 'close' | 'ping'>;

/**
 * A write that removes access, after `setup` wrote what it removes: `remove` changes something;
 * `unchanged`, called after it, changes nothing.
 */
interface Removal {
  remove(tx: Stores): Promise<void>;
  unchanged(tx: Stores): Promise<void>;
}

const REMOVALS: Array<[string, (s: Store) => Promise<Removal>]> = [
  ['tokens.revoke', async (s) => {
    const t = token(unique('realm'));
    await s.tokens.insert(t);
    return {
      remove: async (tx) => assert.equal(await tx.tokens.revoke(t.realm, t.id), true),
      unchanged: async (tx) => assert.equal(await tx.tokens.revoke(t.realm, 'absent'), false),
    };
  }],
  ['tokens.revokeGrant', async (s) => {
    const a = token(unique('realm'));
    await s.tokens.insertMany([a, token(a.realm, { grantId: a.grantId, kind: 'rpt' })]);
    return {
      remove: async (tx) => assert.equal(await tx.tokens.revokeGrant(a.realm, a.grantId), 2),
      unchanged: async (tx) => assert.equal(await tx.tokens.revokeGrant(a.realm, a.grantId), 0),
    };
  }],
  ['tokens.revokeAllFor (subject)', async (s) => {
    const t = token(unique('realm'));
    await s.tokens.insert(t);
    return {
      remove: async (tx) => assert.equal(await tx.tokens.revokeAllFor(t.realm, { subject: t.subject }), 1),
      unchanged: async (tx) => assert.equal(await tx.tokens.revokeAllFor(t.realm, { subject: t.subject }), 0),
    };
  }],
  ['tokens.revokeAllFor (client)', async (s) => {
    const t = token(unique('realm'));
    await s.tokens.insert(t);
    return {
      remove: async (tx) => assert.equal(await tx.tokens.revokeAllFor(t.realm, { clientId: t.clientId }), 1),
      unchanged: async (tx) => assert.equal(await tx.tokens.revokeAllFor(t.realm, { clientId: 'nobody' }), 0),
    };
  }],
  ['policies.update', async (s) => {
    const p = policy(unique('realm'), 'alice-id', 'res-1');
    await s.policies.create(p);
    const narrowed = { ...p, rev: unique('rev'), permissions: p.permissions.slice(0, 1) };
    return {
      remove: async (tx) => assert.equal(await tx.policies.update(narrowed, p.rev), 'updated'),
      unchanged: async (tx) => {
        assert.equal(await tx.policies.update({ ...narrowed, rev: unique('rev') }, 'stale-rev'), 'stale');
        assert.equal(await tx.policies.update({ ...narrowed, id: 'absent' }, null), 'missing');
      },
    };
  }],
  ['policies.delete', async (s) => {
    const p = policy(unique('realm'), 'alice-id', 'res-1');
    await s.policies.create(p);
    return {
      remove: async (tx) => assert.equal(await tx.policies.delete(p.realm, p.owner, p.id), true),
      unchanged: async (tx) => assert.equal(await tx.policies.delete(p.realm, p.owner, 'absent'), false),
    };
  }],
  ['users.update', async (s) => {
    const u = user(unique('realm'));
    await s.users.create(u);
    return {
      remove: async (tx) => assert.equal(await tx.users.update({ ...u, disabled: true }), true),
      unchanged: async (tx) => assert.equal(await tx.users.update({ ...u, id: 'absent' }), false),
    };
  }],
  ['users.delete', async (s) => {
    const u = user(unique('realm'));
    await s.users.create(u);
    return {
      remove: async (tx) => assert.equal(await tx.users.delete(u.realm, u.id), true),
      unchanged: async (tx) => assert.equal(await tx.users.delete(u.realm, 'absent'), false),
    };
  }],
  ['clients.update', async (s) => {
    const c = client(unique('realm'));
    await s.clients.create(c);
    return {
      remove: async (tx) => assert.equal(await tx.clients.update({ ...c, disabled: true }), true),
      unchanged: async (tx) => assert.equal(await tx.clients.update({ ...c, clientId: 'absent' }), false),
    };
  }],
  ['clients.delete', async (s) => {
    const c = client(unique('realm'));
    await s.clients.create(c);
    return {
      remove: async (tx) => assert.equal(await tx.clients.delete(c.realm, c.clientId), true),
      unchanged: async (tx) => assert.equal(await tx.clients.delete(c.realm, 'absent'), false),
    };
  }],
  ['groups.delete', async (s) => {
    const r = unique('realm');
    await s.groups.create({ realm: r, id: 'g1', name: 'friends', visible: true, createdAt: T });
    await s.groups.addMember(r, 'g1', 'bob-id');
    return {
      remove: async (tx) => assert.equal(await tx.groups.delete(r, 'g1'), true),
      unchanged: async (tx) => assert.equal(await tx.groups.delete(r, 'absent'), false),
    };
  }],
  ['groups.removeMember', async (s) => {
    const r = unique('realm');
    await s.groups.create({ realm: r, id: 'g1', name: 'friends', visible: true, createdAt: T });
    await s.groups.addMember(r, 'g1', 'bob-id');
    return {
      remove: async (tx) => assert.equal(await tx.groups.removeMember(r, 'g1', 'bob-id'), true),
      unchanged: async (tx) => assert.equal(await tx.groups.removeMember(r, 'g1', 'carol-id'), false),
    };
  }],
  ['organizations.delete', async (s) => {
    const r = unique('realm');
    await s.organizations.create({ realm: r, id: 'acme', name: 'Acme', admins: ['alice-id'], clients: ['printer'], createdAt: T });
    return {
      remove: async (tx) => assert.equal(await tx.organizations.delete(r, 'acme'), true),
      unchanged: async (tx) => assert.equal(await tx.organizations.delete(r, 'absent'), false),
    };
  }],
  ['organizations.removeAdmin', async (s) => {
    const r = unique('realm');
    await s.organizations.create({ realm: r, id: 'acme', name: 'Acme', admins: ['alice-id'], clients: [], createdAt: T });
    return {
      remove: async (tx) => assert.equal(await tx.organizations.removeAdmin(r, 'acme', 'alice-id'), true),
      unchanged: async (tx) => assert.equal(await tx.organizations.removeAdmin(r, 'acme', 'bob-id'), false),
    };
  }],
  ['organizations.removeClient', async (s) => {
    const r = unique('realm');
    await s.organizations.create({ realm: r, id: 'acme', name: 'Acme', admins: [], clients: ['printer'], createdAt: T });
    return {
      remove: async (tx) => assert.equal(await tx.organizations.removeClient(r, 'acme', 'printer'), true),
      unchanged: async (tx) => assert.equal(await tx.organizations.removeClient(r, 'acme', 'scanner'), false),
    };
  }],
  ['resources.update', async (s) => {
    const res = resource(unique('realm'), 'alice-id');
    await s.resources.insert(res);
    return {
      remove: async (tx) => assert.equal(await tx.resources.update({ ...res, scopes: ['view'] }), true),
      unchanged: async (tx) => assert.equal(await tx.resources.update({ ...res, id: 'absent' }), false),
    };
  }],
  ['resources.delete', async (s) => {
    const res = resource(unique('realm'), 'alice-id');
    await s.resources.insert(res);
    await s.policies.create(policy(res.realm, res.owner, res.id));
    return {
      remove: async (tx) => assert.equal(await tx.resources.delete(res.realm, res.owner, res.id), true),
      unchanged: async (tx) => assert.equal(await tx.resources.delete(res.realm, res.owner, 'absent'), false),
    };
  }],
  ['sessions.delete', async (s) => {
    const ses = session(unique('realm'));
    await s.sessions.insert(ses);
    return {
      remove: async (tx) => assert.equal(await tx.sessions.delete(ses.realm, ses.hash), true),
      unchanged: async (tx) => assert.equal(await tx.sessions.delete(ses.realm, 'absent'), false),
    };
  }],
  ['sessions.deleteForUser', async (s) => {
    const ses = session(unique('realm'));
    await s.sessions.insert(ses);
    return {
      remove: async (tx) => assert.equal(await tx.sessions.deleteForUser(ses.realm, ses.userId), 1),
      unchanged: async (tx) => assert.equal(await tx.sessions.deleteForUser(ses.realm, ses.userId), 0),
    };
  }],
  ['keys.retire', async (s) => {
    const k = key(unique('realm'));
    await s.keys.insert(k);
    return {
      remove: async (tx) => assert.equal(await tx.keys.retire(k.realm, k.kid, T + 10), true),
      unchanged: async (tx) => assert.equal(await tx.keys.retire(k.realm, 'absent', T + 10), false),
    };
  }],
  ['realms.update', async (s) => {
    const r = realm();
    await s.realms.create(r);
    return {
      remove: async (tx) => assert.equal(await tx.realms.update({ ...r, settings: { ...r.settings, resharing: false } }), true),
      unchanged: async (tx) => assert.equal(await tx.realms.update({ ...r, id: 'absent' }), false),
    };
  }],
];

/** Writes that issue or record, never synced: what the token and permission endpoints write. */
const ISSUANCE: Array<[string, (tx: Stores) => Promise<unknown>]> = [
  ['tokens.insert', (tx) => tx.tokens.insert(token(unique('realm')))],
  ['tokens.insertMany', (tx) => {
    const r = unique('realm');
    return tx.tokens.insertMany([token(r, { kind: 'rpt' }), token(r), token(r, { kind: 'pct' })]);
  }],
  ['tokens.consume', async (tx) => {
    const t = token(unique('realm'));
    await tx.tokens.insert(t);
    assert.ok(await tx.tokens.consume(t.realm, t.id, 'refresh', T));
  }],
  ['tickets.insert and consume', async (tx) => {
    const t = ticket(unique('realm'));
    await tx.tickets.insert(t);
    assert.ok(await tx.tickets.consume(t.realm, t.hash, T));
  }],
  ['audit.append', (tx) => tx.audit.append([{ id: unique('event'), realm: unique('realm'), owner: 'alice-id', type: 'rpt.issued', at: T }])],
  ['sessions.insert', (tx) => tx.sessions.insert(session(unique('realm')))],
  ['policies.create', (tx) => tx.policies.create(policy(unique('realm'), 'alice-id', 'res-1'))],
  ['resources.insert', (tx) => tx.resources.insert(resource(unique('realm'), 'alice-id'))],
  ['users.create and clients.create', async (tx) => {
    const r = unique('realm');
    await tx.users.create(user(r));
    await tx.clients.create(client(r));
  }],
  ['rateLimits.hit', (tx) => tx.rateLimits.hit([unique('limit')], T, T + 60)],
  ['purges', async (tx) => {
    await tx.tokens.purgeExpired(T + 1e6, 100);
    await tx.tickets.purgeExpired(T + 1e6, 100);
    await tx.sessions.purgeExpired(T + 1e6, 100);
  }],
];

if (dialects.includes('sqlite')) {
  describe('durability on a SQLite file', () => {
    let store: OpenedStore;
    let file: string;
    let drop: () => Promise<void>;
    const syncs = () => store.operations.durableSyncs();

    before(async () => {
      const db = await freshDatabaseUrl('sqlite');
      drop = db.drop;
      file = db.url.slice('sqlite:'.length);
      store = await openStore(db.url);
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });
    afterEach(() => mock.restoreAll());

    it('reports wal-fsync', async () => {
      assert.deepEqual(await store.operations.durability(), { mode: 'wal-fsync', synchronousCommit: null, durableSyncs: syncs() });
    });

    for (const [name, setup] of REMOVALS) {
      it(`${name}: one sync when it changed something, none when it did not`, async () => {
        const removal = await setup(store);
        const before = syncs();
        await removal.remove(store);
        assert.equal(syncs(), before + 1, 'synced once, before the call resolved');
        await removal.unchanged(store);
        assert.equal(syncs(), before + 1, 'nothing changed: no sync');
      });

      it(`${name} in a transaction: one sync after the commit`, async () => {
        const removal = await setup(store);
        const before = syncs();
        await store.transaction(async (tx) => {
          await removal.remove(tx);
          assert.equal(syncs(), before, 'not before the commit');
          await removal.unchanged(tx);
        });
        assert.equal(syncs(), before + 1);
        await store.transaction((tx) => removal.unchanged(tx));
        assert.equal(syncs(), before + 1, 'a transaction that removed nothing: no sync');
      });
    }

    it('a transaction with several removals syncs once', async () => {
      const removals = await Promise.all(REMOVALS.map(([, setup]) => setup(store)));
      const before = syncs();
      await store.transaction(async (tx) => {
        for (const removal of removals) await removal.remove(tx);
      });
      assert.equal(syncs(), before + 1);
    });

    it('a transaction that rolls back does not sync (and removes nothing)', async () => {
      const t = token(unique('realm'));
      await store.tokens.insert(t);
      const before = syncs();
      await assert.rejects(
        store.transaction(async (tx) => {
          assert.equal(await tx.tokens.revoke(t.realm, t.id), true);
          throw new Error('undo');
        }),
        /undo/,
      );
      assert.equal(syncs(), before);
      assert.equal((await store.tokens.get(t.realm, t.id))?.revoked, false);
    });

    for (const [name, write] of ISSUANCE) {
      it(`issuance is not synced: ${name}`, async () => {
        const before = syncs();
        await write(store);
        await store.transaction((tx) => write(tx));
        assert.equal(syncs(), before);
      });
    }

    it('the sync is an fsync of the write-ahead log', async () => {
      const t = token(unique('realm'));
      await store.tokens.insert(t);
      const synced = spyOnFsync();
      await store.tokens.revoke(t.realm, t.id);
      assert.ok(synced.includes(fs.statSync(`${file}-wal`).ino), 'the WAL was fsynced');
      assert.ok(!synced.includes(fs.statSync(file).ino), 'not the database file');
    });

    it('an fsync that fails fails the write’s call (it is not known to be durable)', async () => {
      const t = token(unique('realm'));
      await store.tokens.insert(t);
      const before = syncs();
      mock.method(fs, 'fsyncSync', () => {
        throw Object.assign(new Error('EIO: i/o error, fsync'), { code: 'EIO' });
      });
      await assert.rejects(store.tokens.revoke(t.realm, t.id), /EIO/);
      mock.restoreAll();
      assert.equal(syncs(), before);
    });
  });

  describe('durability in memory', () => {
    it('syncs nothing and reports none', async () => {
      const store = await openStore('sqlite::memory:');
      try {
        for (const [, setup] of REMOVALS) {
          const removal = await setup(store);
          await removal.remove(store);
        }
        assert.deepEqual(await store.operations.durability(), { mode: 'none', synchronousCommit: null, durableSyncs: 0 });
      } finally {
        await store.close();
      }
    });
  });
}

/** Records the inode of every file or directory fsynced until the mocks are restored. */
function spyOnFsync(): Array<number> {
  const original = fs.fsyncSync;
  const inodes: number[] = [];
  mock.method(fs, 'fsyncSync', (fd: number) => {
    inodes.push(fs.fstatSync(fd).ino);
    original(fd);
  });
  return inodes;
}

describe('WalSync', () => {
  let dir: string;
  let db: string;
  const wal = () => `${db}-wal`;

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'steward-walsync-'));
    db = path.join(dir, 'steward.db');
    fs.writeFileSync(db, 'db');
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  afterEach(() => mock.restoreAll());

  it('fsyncs the log, and its directory the first time it meets that log file', () => {
    fs.writeFileSync(wal(), 'frames');
    const sync = new WalSync(db);
    const synced = spyOnFsync();
    sync.sync();
    assert.deepEqual(synced, [fs.statSync(wal()).ino, fs.statSync(dir).ino]);
    sync.sync();
    assert.deepEqual(synced.slice(2), [fs.statSync(wal()).ino], 'the same log again: the log alone');
    assert.equal(sync.syncs, 2);
  });

  it('a replaced log is synced with its directory again', () => {
    fs.writeFileSync(wal(), 'frames');
    const sync = new WalSync(db);
    sync.sync();
    // Written before the old log goes, so the new one cannot reuse its inode.
    fs.writeFileSync(`${wal()}.new`, 'new frames');
    fs.renameSync(`${wal()}.new`, wal());
    const synced = spyOnFsync();
    sync.sync();
    assert.deepEqual(synced, [fs.statSync(wal()).ino, fs.statSync(dir).ino]);
  });

  it('without a log (checkpointed and deleted), the database file is synced', () => {
    fs.rmSync(wal(), { force: true });
    const sync = new WalSync(db);
    const synced = spyOnFsync();
    sync.sync();
    assert.deepEqual(synced, [fs.statSync(db).ino]);
    assert.equal(sync.syncs, 1);
  });
});

if (dialects.includes('postgres')) {
  describe('durability on PostgreSQL', () => {
    let url: string;
    let drop: () => Promise<void>;

    before(async () => {
      const db = await freshDatabaseUrl('postgres');
      url = db.url;
      drop = db.drop;
    });
    after(async () => drop?.());

    it('reports that every commit is durable (synchronous_commit on) and syncs nothing itself', async () => {
      const store = await openStore(url);
      try {
        const t = token(unique('realm'));
        await store.tokens.insert(t);
        await store.tokens.revoke(t.realm, t.id);
        await store.transaction((tx) => tx.tokens.revokeGrant(t.realm, t.grantId));
        assert.deepEqual(await store.operations.durability(), { mode: 'every-commit', synchronousCommit: 'on', durableSyncs: 0 });
      } finally {
        await store.close();
      }
    });

    it('reports none when synchronous_commit is off', async () => {
      const name = new URL(url).pathname.slice(1);
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`ALTER DATABASE ${name} SET synchronous_commit = off`);
      } finally {
        await admin.end();
      }
      const store = await openStore(url, { migrate: false });
      try {
        assert.deepEqual(await store.operations.durability(), { mode: 'none', synchronousCommit: 'off', durableSyncs: 0 });
      } finally {
        await store.close();
      }
    });
  });
}
