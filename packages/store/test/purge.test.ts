/**
 * The purge in small batches that yield, on both dialects: many expired rows of every kind go, live
 * rows stay, and store calls started from
 * the event loop (as requests are) complete while a long purge is under way. The interleaving is
 * observed (reads that finished before the purge did), never timed. On SQLite, a purge whose batches
 * followed one another without a turn of the event loop would let no such read run until it ended.
 */
import assert from 'node:assert/strict';
import { setImmediate as turn } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery } from 'kysely';
import { purgeExpired, type Store } from '@steward/core';
import { openStore } from '@steward/store';
import { connect } from '../src/connect.ts';
import { MAX_ROWS_PER_STATEMENT, purgeBatchQuery } from '../src/purge.ts';
import { GRANT_RESOURCES_KEY } from '../src/migrations/0012-grant-resources.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';
import { queryPlan, series } from './helpers/plans.ts';

const NOW = 1_900_000_000;
const EXPIRED_TOKENS = 12_000;
const EXPIRED_TICKETS = 3_000;
const EXPIRED_SESSIONS = 1_500;
const LIVE = 300;

for (const dialect of dialects) {
  describe(`purge in small batches (${dialect})`, () => {
    let store: Store;
    let drop: () => Promise<void>;
    let url: string;

    before(async () => {
      const fresh = await freshDatabaseUrl(dialect);
      drop = fresh.drop;
      url = fresh.url;
      await (await openStore(fresh.url)).close();
      // Rows written straight into the schema: expired ones (expires_at below NOW) and live ones, in two realms.
      const { db } = connect(fresh.url, { poolSize: 1 });
      const realm = `case when i % 2 = 0 then 'r1' else 'r2' end`;
      const seed = async (table: string, columns: string, values: string, n: number, expires: string) =>
        db.executeQuery(CompiledQuery.raw(`insert into ${table} (${columns}) select ${values.replace('$EXPIRES', expires)} from ${series(dialect, n)}`));
      const tokens = ['tokens', 'realm, id, kind, client_id, subject, grant_id, created_at, expires_at, revoked, data', `${realm}, '$P-' || i, 'rpt', 'app', 'u-' || (i % 97), 'g-' || i, ${NOW - 7200}, $EXPIRES, 0, '{}'`] as const;
      const tickets = ['tickets', 'realm, hash, owner, resource_server, permissions, claims, created_at, expires_at', `${realm}, '$P-' || i, 'owner', 'rs', '[]', '{}', ${NOW - 7200}, $EXPIRES`] as const;
      const sessions = ['sessions', 'realm, hash, user_id, created_at, expires_at', `${realm}, '$P-' || i, 'u-' || i, ${NOW - 7200}, $EXPIRES`] as const;
      for (const [[table, columns, values], expired] of [[tokens, EXPIRED_TOKENS], [tickets, EXPIRED_TICKETS], [sessions, EXPIRED_SESSIONS]] as const) {
        await seed(table, columns, values.replace('$P', 'old'), expired, `${NOW - 3600} + (i % 3000)`);
        await seed(table, columns, values.replace('$P', 'live'), LIVE, `${NOW + 1} + i`);
      }
      await db.destroy();
      store = await openStore(fresh.url);
    });
    after(async () => {
      await store?.close();
      await drop?.();
    });

    it('purges every expired row in statements of bounded size while reads started from the event loop complete; live rows stay', async () => {
      let purging = true;
      let readsDuringPurge = 0;
      const reads = (async () => {
        while (purging) {
          await turn();
          const live = await store.tokens.get('r1', 'live-2');
          assert.ok(live, 'a live token is read during the purge');
          if (purging) readsDuringPurge++;
        }
      })();
      const counts = await purgeExpired({ store, clock: { now: () => NOW } }, { batch: 5 * MAX_ROWS_PER_STATEMENT }).finally(() => {
        purging = false;
      });
      await reads;
      assert.deepEqual(counts, { tickets: EXPIRED_TICKETS, tokens: EXPIRED_TOKENS, sessions: EXPIRED_SESSIONS, keys: 0 });
      // The purge ran at least ceil(16,500 / 1,000) statements with a turn after each: reads ran in between.
      assert.ok(readsDuringPurge > 0, `reads completed during the purge: ${readsDuringPurge}`);
      for (const realm of ['r1', 'r2']) {
        const first = realm === 'r1' ? 2 : 1;
        assert.ok(await store.tokens.get(realm, `live-${first}`), `live token of ${realm} kept`);
        assert.equal(await store.tokens.get(realm, `old-${first}`), null, `expired token of ${realm} purged`);
      }
    });

    it('a second purge finds nothing, every live row is still there, and a limit bounds how many go', async () => {
      assert.equal(await store.tokens.purgeExpired(NOW), 0);
      assert.deepEqual(await purgeExpired({ store, clock: { now: () => NOW } }, { batch: 500 }), { tickets: 0, tokens: 0, sessions: 0, keys: 0 });
      // Live rows, all of them: every one is still there.
      let live = 0;
      for (let i = 1; i <= LIVE; i++) if (await store.tokens.get(i % 2 === 0 ? 'r1' : 'r2', `live-${i}`)) live++;
      assert.equal(live, LIVE);
      // Once they too have expired, a limit bounds how many go.
      assert.equal(await store.tokens.purgeExpired(NOW + LIVE + 2, 250), 250);
      assert.equal(await store.tokens.purgeExpired(NOW + LIVE + 2), LIVE - 250);
    });

    it('each batch reads the expiry index, then only the rows it deletes (never the whole table)', async () => {
      const { db } = connect(url, { poolSize: 1 });
      try {
        for (const [table, column, index] of [['tokens', 'expires_at', 'tokens_expires_ix'], ['tickets', 'expires_at', 'tickets_expires_ix'], ['sessions', 'expires_at', 'sessions_expires_ix']] as const) {
          const lines = await queryPlan(db, dialect, purgeBatchQuery(db, table, dialect === 'postgres' ? 'ctid' : 'rowid', (eb) => eb(column, '<', NOW), MAX_ROWS_PER_STATEMENT));
          const plan = lines.join('\n');
          assert.match(plan, new RegExp(index), `${table}: the batch is picked through ${index}:\n${plan}`);
          if (dialect === 'sqlite') {
            assert.match(plan, new RegExp(`SEARCH ${table} USING INTEGER PRIMARY KEY \\(rowid=\\?\\)`), plan);
            assert.doesNotMatch(plan, new RegExp(`SCAN ${table}\\b`), plan);
          } else {
            assert.match(plan, /Tid Scan/, plan);
            assert.doesNotMatch(plan, /Seq Scan/, plan);
          }
        }
      } finally {
        await db.destroy();
      }
    });

    it("the grant index (SQLite: WITHOUT ROWID) picks each batch by its key through the expiry index", async () => {
      const { db } = connect(url, { poolSize: 1 });
      try {
        const address = dialect === 'postgres' ? 'ctid' : { key: GRANT_RESOURCES_KEY };
        const plan = (await queryPlan(db, dialect, purgeBatchQuery(db, 'grant_resources', address, (eb) => eb('expires_at', '<', NOW), MAX_ROWS_PER_STATEMENT))).join('\n');
        assert.match(plan, /grant_resources_expires_ix/, plan);
        if (dialect === 'sqlite') {
          assert.match(plan, /SEARCH grant_resources USING PRIMARY KEY \(realm=\? AND resource_id=\? AND grant_id=\?\)/, plan);
          assert.doesNotMatch(plan, /SCAN grant_resources\b/, plan);
        } else assert.doesNotMatch(plan, /Seq Scan/, plan);
      } finally {
        await db.destroy();
      }
    });
  });
}
