/**
 * @module test/suite/revocations
 * The revocation log: every way an RPT record is revoked (one record, its grant, every record of a
 * subject or client, an upgraded RPT in the grant's commit) logs it once per resource server of its
 * permissions, in the same commit; nothing else is logged; reads are scoped by realm and resource
 * server and by sequence; the purge drops entries of expired RPTs; and a reader following the log by
 * sequence while two stores revoke at once misses nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GrantedPermission, RevokedRpt, Store, TokenRecord } from '@steward/core';
import { T, ticket, token, unique } from './fixtures.ts';
import type { StoreHandle } from './fixtures.ts';

function perm(resourceServer: string, resourceId = unique('res')): GrantedPermission {
  return { resourceId, scopes: ['view'], owner: 'alice-id', resourceServer };
}

function rpt(realm: string, servers: string[], over: Partial<TokenRecord> = {}): TokenRecord {
  return token(realm, { kind: 'rpt', data: { permissions: servers.map((s) => perm(s)) }, ...over });
}

/** The log entries after `from`, as (realm, resource server, jti, exp). */
async function logged(store: Store, from: number): Promise<Array<[string, string, string, number]>> {
  return (await store.revocations.after(from, 1000)).map((e) => [e.realm, e.resourceServer, e.jti, e.expiresAt]);
}

export function revocationTests(handle: () => StoreHandle): void {
  const s = () => handle().store;
  describe('revocation log', () => {
    it('tokens.revoke logs an RPT once per resource server of its permissions, and only the first time', async () => {
      const start = await s().revocations.last();
      const two = rpt('v1', ['photoz', 'docs', 'photoz']);
      await s().tokens.insert(two);
      assert.equal(await s().tokens.revoke('v1', two.id), true);
      assert.equal(await s().tokens.revoke('v1', two.id), true, 'already revoked: still there');
      assert.deepEqual((await logged(s(), start)).sort(), [['v1', 'docs', two.id, two.expiresAt], ['v1', 'photoz', two.id, two.expiresAt]]);
      assert.equal(await s().revocations.last() > start, true);
      assert.equal(await s().tokens.revoke('v1', 'absent'), false);
    });

    it('revoking refresh tokens, access tokens and RPTs without permissions logs nothing', async () => {
      const start = await s().revocations.last();
      const refresh = token('v2', { kind: 'refresh' });
      const access = token('v2', { kind: 'access', data: { scope: 'uma_protection' } });
      const bare = rpt('v2', []);
      await s().tokens.insertMany([refresh, access, bare]);
      for (const t of [refresh, access, bare]) assert.equal(await s().tokens.revoke('v2', t.id), true);
      assert.deepEqual(await logged(s(), start), []);
    });

    it('revokeGrant and revokeAllFor log the RPTs they revoke, not those already revoked', async () => {
      const start = await s().revocations.last();
      const grantId = unique('grant');
      const a = rpt('v3', ['photoz'], { grantId });
      const refresh = token('v3', { grantId, data: { permissions: [perm('photoz')] } });
      const gone = rpt('v3', ['photoz'], { grantId, revoked: true });
      const carol = rpt('v3', ['docs'], { subject: 'carol-id' });
      const printer = rpt('v3', ['photoz'], { subject: 'dan-id', clientId: 'scanner' });
      await s().tokens.insertMany([a, refresh, gone, carol, printer]);
      assert.equal(await s().tokens.revokeGrant('v3', grantId), 2);
      assert.equal(await s().tokens.revokeAllFor('v3', { subject: 'carol-id' }), 1);
      assert.equal(await s().tokens.revokeAllFor('v3', { clientId: 'scanner' }), 1);
      assert.deepEqual(await logged(s(), start), [['v3', 'photoz', a.id, a.expiresAt], ['v3', 'docs', carol.id, carol.expiresAt], ['v3', 'photoz', printer.id, printer.expiresAt]]);
    });

    it('grants.redeem logs the upgraded RPT it revokes in its commit; a redemption that revokes nothing logs nothing', async () => {
      const start = await s().revocations.last();
      const old = rpt('v4', ['photoz']);
      await s().tokens.insert(old);
      const plain = ticket('v4');
      await s().tickets.insert(plain);
      assert.equal(await s().grants.redeem('v4', plain.hash, T, { tokens: [rpt('v4', ['photoz'])], revoke: [], events: [], deliveries: [] }), true);
      assert.deepEqual(await logged(s(), start), []);
      const upgrade = ticket('v4');
      await s().tickets.insert(upgrade);
      assert.equal(await s().grants.redeem('v4', upgrade.hash, T, { tokens: [rpt('v4', ['photoz'])], revoke: [old.id], events: [], deliveries: [] }), true);
      assert.deepEqual(await logged(s(), start), [['v4', 'photoz', old.id, old.expiresAt]]);
      // A ticket already spent writes nothing, the log included.
      const other = rpt('v4', ['photoz']);
      await s().tokens.insert(other);
      assert.equal(await s().grants.redeem('v4', upgrade.hash, T, { tokens: [], revoke: [other.id], events: [], deliveries: [] }), false);
      assert.equal((await s().tokens.get('v4', other.id))?.revoked, false);
      assert.equal((await logged(s(), start)).length, 1);
    });

    it('a revocation rolled back logs nothing', async () => {
      const start = await s().revocations.last();
      const t = rpt('v5', ['photoz']);
      await s().tokens.insert(t);
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.tokens.revoke('v5', t.id);
          throw new Error('rollback');
        }),
        /rollback/,
      );
      assert.deepEqual(await logged(s(), start), []);
      assert.equal((await s().tokens.get('v5', t.id))?.revoked, false);
    });

    it('forResourceServer reads one resource server of one realm, unexpired, after a sequence, in order', async () => {
      const mine = [rpt('v6', ['photoz']), rpt('v6', ['photoz', 'docs']), rpt('v6', ['photoz'], { expiresAt: T - 1 })];
      const others = [rpt('v6', ['docs']), rpt('v6-other', ['photoz'])];
      await s().tokens.insertMany(mine);
      await s().tokens.insertMany(others.filter((t) => t.realm === 'v6'));
      await s().tokens.insert(others[1]!);
      for (const t of [...mine, ...others]) await s().tokens.revoke(t.realm, t.id);
      const read = await s().revocations.forResourceServer('v6', 'photoz', 0, T, 100);
      assert.deepEqual(read.map((e) => e.jti), [mine[0]!.id, mine[1]!.id], 'the expired one and others are absent');
      assert.ok(read[0]!.seq < read[1]!.seq);
      assert.deepEqual(read[0], { seq: read[0]!.seq, realm: 'v6', resourceServer: 'photoz', jti: mine[0]!.id, expiresAt: mine[0]!.expiresAt } satisfies RevokedRpt);
      assert.deepEqual((await s().revocations.forResourceServer('v6', 'photoz', read[0]!.seq, T, 100)).map((e) => e.jti), [mine[1]!.id]);
      assert.deepEqual((await s().revocations.forResourceServer('v6', 'photoz', 0, T, 1)).map((e) => e.jti), [mine[0]!.id], 'limit');
      assert.deepEqual(await s().revocations.forResourceServer('v6', "photoz' or '1'='1", 0, T, 100), []);
    });

    it('tokens.purgeExpired drops the entries of RPTs expired before now', async () => {
      const start = await s().revocations.last();
      const early = rpt('v7', ['photoz'], { expiresAt: T + 10 });
      const late = rpt('v7', ['photoz'], { expiresAt: T + 1000 });
      await s().tokens.insertMany([early, late]);
      await s().tokens.revoke('v7', early.id);
      await s().tokens.revoke('v7', late.id);
      await s().tokens.purgeExpired(T + 11);
      assert.deepEqual((await logged(s(), start)).map(([, , jti]) => jti), [late.id]);
      assert.ok((await s().revocations.last()) > start, 'the sequence stays');
    });
  });

  describe('revocation log, concurrency', () => {
    it('a reader following the log by sequence while revocations commit at once, from two pools, misses no entry', async () => {
      const h = handle();
      // Two pools on PostgreSQL; on SQLite one store (two in one process would wait on each other's
      // write lock synchronously while a transaction pauses).
      const stores = h.dialect === 'postgres' && h.openAnother ? [h.store, await h.openAnother()] : [h.store];
      try {
        const start = await s().revocations.last();
        const tokens = Array.from({ length: 40 }, () => rpt('v8', ['photoz']));
        await s().tokens.insertMany(tokens);
        const seen = new Set<string>();
        let cursor = start;
        let done = false;
        const reader = (async () => {
          for (;;) {
            const finished = done;
            for (const e of await s().revocations.after(cursor, 1000)) {
              seen.add(e.jti);
              cursor = e.seq;
            }
            if (finished) return;
            await new Promise((r) => setImmediate(r));
          }
        })();
        // Each revocation commits a little after it numbered its entry, in its own transaction: a reader
        // must never see a later entry committed while an earlier one is still to come.
        await Promise.all(
          tokens.map((t, i) =>
            stores[i % stores.length]!.transaction(async (tx) => {
              if (i % 3 === 0) await tx.tokens.revokeGrant('v8', t.grantId);
              else await tx.tokens.revoke('v8', t.id);
              await new Promise((r) => setTimeout(r, (i * 7) % 20));
            }),
          ),
        );
        done = true;
        await reader;
        assert.equal(seen.size, tokens.length);
        assert.deepEqual([...seen].sort(), tokens.map((t) => t.id).sort());
      } finally {
        if (stores[1]) await stores[1].close();
      }
    });
  });
}
