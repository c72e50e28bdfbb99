/**
 * The index revocation reads (migration 0012, grant_resources), on both dialects: the records existing
 * when it is created are indexed; every path that writes RPT or refresh records writes their rows; the
 * lookup reads only the resource's grants (plan: no scan of tokens, no read of the realm's records);
 * and a record reachable only by a scan is not what it returns (the index is what it reads).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CompiledQuery, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { migrateToLatest, openStore } from '@steward/store';
import type { TokenRecord } from '@steward/core';
import { connect } from '../src/connect.ts';
import { migrationProvider, MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from '../src/migrations/index.ts';
import type { Database } from '../src/schema.ts';
import { liveByResourceQuery } from '../src/stores/grant-resources.ts';
import { toRow } from '../src/stores/tokens.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';
import { queryPlan, series } from './helpers/plans.ts';

const T = 1_000;
let n = 0;
const permission = (resourceId: string) => ({ resourceId, scopes: ['view'], owner: 'alice-id', resourceServer: 'photoz' });
function token(over: Partial<TokenRecord> & { resources?: string[] } = {}): TokenRecord {
  const { resources = ['res-1'], ...rest } = over;
  n += 1;
  return { realm: 'r1', id: `tok-${n}`, kind: 'rpt', clientId: 'app', subject: 'bob-id', grantId: `grant-${n}`, createdAt: T, expiresAt: T + 300, revoked: false, data: { permissions: resources.map(permission) }, ...rest };
}

for (const dialect of dialects) {
  describe(`revocation's grant index (${dialect})`, () => {
    it('indexes the records that exist when it is created', async () => {
      const db = await freshDatabaseUrl(dialect);
      try {
        const connection = connect(db.url);
        const rpt = token({ resources: ['res-1', 'res-2'] });
        const refresh = token({ kind: 'refresh', grantId: rpt.grantId, expiresAt: T + 900 });
        const others = [token({ kind: 'pct' }), token({ kind: 'access' }), token({ revoked: true }), token({ kind: 'refresh', data: { scope: 'openid' } })];
        try {
          const migrator = new Migrator({ db: connection.db, provider: migrationProvider, migrationTableName: MIGRATION_TABLE, migrationLockTableName: MIGRATION_LOCK_TABLE });
          const before = Object.keys(await migrationProvider.getMigrations()).filter((name) => name < '0012');
          assert.equal((await migrator.migrateTo(before.at(-1)!)).error, undefined);
          await connection.db.insertInto('tokens').values([rpt, refresh, ...others].map(toRow)).execute();
        } finally {
          await connection.db.destroy();
        }
        assert.ok((await migrateToLatest(db.url)).includes('0012-grant-resources'));
        const store = await openStore(db.url);
        try {
          assert.deepEqual((await store.tokens.listLiveByResource('r1', 'res-1', T)).map((t) => t.id).sort(), [rpt.id, refresh.id].sort());
          assert.deepEqual((await store.tokens.listLiveByResource('r1', 'res-2', T)).map((t) => t.id), [rpt.id]);
          // The row lives as long as the grant's latest record naming the resource.
          assert.deepEqual((await store.tokens.listLiveByResource('r1', 'res-1', T + 300)).map((t) => t.id), [refresh.id]);
        } finally {
          await store.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('is written by every path that writes records, read through its index only, and purged with them', async () => {
      const db = await freshDatabaseUrl(dialect);
      const store = await openStore(db.url);
      const raw: Kysely<Database> = connect(db.url, { poolSize: 1 }).db;
      try {
        const one = token();
        const many = [token(), token({ kind: 'refresh' })];
        const inTx = token();
        const redeemed = token({ resources: ['res-1', 'res-9'] });
        await store.tokens.insert(one);
        await store.tokens.insertMany(many);
        await store.transaction(async (tx) => tx.tokens.insert(inTx));
        const hash = 'ticket-hash';
        await store.tickets.insert({ realm: 'r1', hash, resourceServer: 'rs', owner: 'alice-id', permissions: [], claims: {}, createdAt: T, expiresAt: T + 60 });
        assert.equal(await store.grants.redeem('r1', hash, T, { tokens: [redeemed], revoke: [], events: [], deliveries: [] }), true);
        const expected = [one, ...many, inTx, redeemed].map((t) => t.id).sort();
        assert.deepEqual((await store.tokens.listLiveByResource('r1', 'res-1', T)).map((t) => t.id).sort(), expected);
        assert.deepEqual((await store.tokens.listLiveByResource('r1', 'res-9', T)).map((t) => t.id), [redeemed.id]);
        // A record whose grant is not indexed under the resource is not found: the lookup reads the index.
        await raw.deleteFrom('grant_resources').where('grant_id', '=', one.grantId).execute();
        assert.ok(!(await store.tokens.listLiveByResource('r1', 'res-1', T)).some((t) => t.id === one.id));
        // Purged once expired, with the records.
        await store.tokens.purgeExpired(T + 301);
        assert.equal(Number((await raw.selectFrom('grant_resources').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n), 0);
      } finally {
        await raw.destroy();
        await store.close();
        await db.drop();
      }
    });

    it("reads only the resource's grants (plan)", async () => {
      const db = await freshDatabaseUrl(dialect);
      await (await openStore(db.url)).close();
      const raw: Kysely<Database> = connect(db.url, { poolSize: 1 }).db;
      try {
        await raw.executeQuery(CompiledQuery.raw(`insert into tokens (realm, id, kind, client_id, subject, grant_id, created_at, expires_at, revoked, data) select 'r1', 'tok-' || i, 'rpt', 'app', 'bob', 'grant-' || i, 1, 9999, 0, '{}' from ${series(dialect, 3000)}`));
        await raw.executeQuery(CompiledQuery.raw(`insert into grant_resources (realm, resource_id, grant_id, expires_at) select 'r1', 'res-' || (i % 300), 'grant-' || i, 9999 from ${series(dialect, 3000)}`));
        await raw.executeQuery(CompiledQuery.raw(dialect === 'postgres' ? 'analyze tokens, grant_resources' : 'pragma optimize = 0x10002'));
        const lines = await queryPlan(raw, dialect, liveByResourceQuery(raw, 'r1', 'res-7', T));
        const text = lines.join('\n');
        assert.ok(/grant_resources_pk|SEARCH grant_resources USING PRIMARY KEY \(realm=\? AND resource_id=\?\)/.test(text), `the grants come from the index:\n${text}`);
        assert.ok(text.includes('tokens_realm_grant_ix'), `the records by (realm, grant):\n${text}`);
        assert.ok(!/SCAN tokens\b|Seq Scan on tokens|\(realm=\?\)$/m.test(text), `no read of the realm's records:\n${text}`);
      } finally {
        await raw.destroy();
        await db.drop();
      }
    });
  });
}
