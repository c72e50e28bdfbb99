/**
 * PostgreSQL's cluster-wide store version (migration 0010), which every node's cached reads are checked
 * against: every table is either versioned (any commit that changes it moves the version, once per
 * transaction) or listed here as never read through a cache; the hot path's inserts leave it alone; and
 * a cached row is served until the version moves, then read again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import pg from 'pg';
import { openStore } from '@steward/store';
import type { Client, Store } from '@steward/core';
import { VERSIONED_TABLES } from '../src/migrations/0010-store-version.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

/** Tables no cached read touches, and why they need no version. */
const UNVERSIONED: Record<string, string> = {
  tickets: 'read and spent by each grant, never cached',
  grant_resources: 'read by revocation, never cached',
  revocations: 'revocation log, read by sequence by the event stream, never cached',
  sessions: 'read on each console request, never cached',
  access_requests: 'written by grants, never cached',
  audit_events: 'append-only, never cached',
  outbox: 'delivery queue, never cached',
  rate_counters: 'counters, never cached',
  login_failures: 'counters, never cached',
  steward_migration: 'migration bookkeeping',
  steward_migration_lock: 'migration bookkeeping',
  steward_store_version: 'the version itself',
};

describe('the PostgreSQL store version', { skip: !dialects.includes('postgres') }, () => {
  let url: string;
  let drop: () => Promise<void>;
  let store: Store;
  let sql: pg.Client;
  const version = async () => Number((await sql.query<{ version: string }>('select version from steward_store_version')).rows[0]!.version);

  before(async () => {
    const fresh = await freshDatabaseUrl('postgres');
    ({ url, drop } = fresh);
    store = await openStore(url);
    sql = new pg.Client({ connectionString: url });
    await sql.connect();
  });
  after(async () => {
    await sql?.end();
    await store?.close();
    await drop?.();
  });

  it('covers every table: versioned with a trigger for the right changes, or listed as never cached', async () => {
    const tables = (await sql.query<{ name: string }>(`select tablename as name from pg_tables where schemaname = 'public' order by 1`)).rows.map((r) => r.name);
    const unknown = tables.filter((t) => !(t in VERSIONED_TABLES) && !(t in UNVERSIONED));
    assert.deepEqual(unknown, [], 'a new table must be versioned (migration) or listed as never cached (this test)');
    const triggers = await sql.query<{ table: string; deferred: boolean; events: number }>(
      `select c.relname as table, t.tginitdeferred as deferred, t.tgtype as events from pg_trigger t join pg_class c on c.oid = t.tgrelid
        where t.tgname like '%_store_version' and not t.tgisinternal`,
    );
    const byTable = new Map(triggers.rows.map((r) => [r.table, r]));
    for (const [table, events] of Object.entries(VERSIONED_TABLES)) {
      const trigger = byTable.get(table);
      assert.ok(trigger, `${table} has its trigger`);
      assert.equal(trigger.deferred, true, `${table}: runs at commit`);
      // tgtype bits: 4 insert, 8 delete, 16 update.
      const bits = (events.includes('insert') ? 4 : 0) | (events.includes('delete') ? 8 : 0) | (events.includes('update') ? 16 : 0);
      assert.equal(trigger.events & 28, bits, `${table}: ${events}`);
    }
    assert.deepEqual([...byTable.keys()].sort(), Object.keys(VERSIONED_TABLES).sort());
  });

  it('moves once per transaction that changes a versioned table, never for new tokens or tickets', async () => {
    const before = await version();
    await sql.query(`insert into tokens (realm, id, kind, client_id, subject, grant_id, created_at, expires_at, revoked, data) values ('v1', 't1', 'rpt', 'c', 's', 'g', 1, 2, 0, '{}')`);
    assert.equal(await version(), before, 'a new token');
    await sql.query('begin');
    await sql.query(`update tokens set revoked = 1 where id = 't1'`);
    await sql.query(`update tokens set revoked = 1 where id = 't1'`);
    assert.equal(await version(), before, 'not before the commit');
    await sql.query('commit');
    assert.equal(await version(), before + 1, 'once for the transaction');
    await sql.query('begin');
    await sql.query(`delete from tokens where id = 't1'`);
    await sql.query('rollback');
    assert.equal(await version(), before + 1, 'a rollback moves nothing');
    await sql.query(`delete from tokens where id = 't1'`);
    assert.equal(await version(), before + 2);
  });

  it('serves a cached row until the version moves, then reads it again', async () => {
    await store.clients.create({ realm: 'v1', clientId: 'app', secretHash: null, name: 'App', grantTypes: ['client_credentials'], redirectUris: [], claimsRedirectUris: [], umaScopes: [], signingAlg: null, rptRefreshTokens: false, disabled: false, createdAt: 1 } satisfies Client);
    assert.equal((await store.clients.get('v1', 'app'))?.name, 'App');
    // A change behind the version's back (triggers off): the cache still serves what it read.
    await sql.query(`set session_replication_role = replica`);
    await sql.query(`update clients set name = 'Renamed' where realm = 'v1' and client_id = 'app'`);
    await sql.query(`set session_replication_role = origin`);
    assert.equal((await store.clients.get('v1', 'app'))?.name, 'App', 'served from the cache');
    await sql.query('update steward_store_version set version = version + 1');
    assert.equal((await store.clients.get('v1', 'app'))?.name, 'Renamed', 'read again once the version moved');
  });

  it("a ticket's read carries the version: the cached reads that follow it send nothing", async () => {
    const app = { realm: 'v1', clientId: 'app2', secretHash: null, name: 'App', grantTypes: ['client_credentials'], redirectUris: [], claimsRedirectUris: [], umaScopes: [], signingAlg: null, rptRefreshTokens: false, disabled: false, createdAt: 1 } satisfies Client;
    await store.clients.create(app);
    await store.tickets.insert({ realm: 'v1', hash: 'h1', owner: 'alice', resourceServer: 'rs', permissions: [], claims: {}, createdAt: 1, expiresAt: 4_000_000_000 });
    await store.clients.get('v1', 'app2');
    const sent: string[] = [];
    const query = pg.Client.prototype.query;
    pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
      sent.push(String((args[0] as { text?: string })?.text ?? args[0]));
      return (query as (...a: unknown[]) => unknown).apply(this, args);
    } as typeof query;
    try {
      assert.ok(await store.tickets.get('v1', 'h1', 1));
      assert.equal((await store.clients.get('v1', 'app2'))?.name, 'App');
    } finally {
      pg.Client.prototype.query = query;
    }
    assert.equal(sent.length, 1, sent.join('\n'));
    assert.match(sent[0]!, /steward_store_version/);
  });
});
