/**
 * boundedCount past its chunk: the count goes on a chunk at a time along the list's keys, each chunk one
 * statement, and gives the same answer as counting in one go, at, below and above chunk boundaries,
 * with a filter, and with keys of two columns (ties in the first).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { openStore } from '@steward/store';
import { connect } from '../src/connect.ts';
import { boundedCount } from '../src/keyset.ts';
import type { Database } from '../src/schema.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

for (const dialect of dialects) {
  describe(`boundedCount in chunks (${dialect})`, () => {
    let db: Kysely<Database>;
    let drop: () => Promise<void>;
    let statements = 0;

    before(async () => {
      const fresh = await freshDatabaseUrl(dialect);
      drop = fresh.drop;
      await (await openStore(fresh.url)).close();
      db = connect(fresh.url, { poolSize: 1 }).db.withPlugin({
        transformQuery: (args) => (statements++, args.node),
        transformResult: async (args) => args.result,
      });
      const series = dialect === 'postgres' ? 'generate_series(1, 95) i' : '(with recursive s(i) as (select 1 union all select i + 1 from s where i < 95) select i from s)';
      // 95 requests of one owner, three at each instant (ties on created_at), every fifth pending.
      await db.executeQuery(CompiledQuery.raw(`insert into access_requests (realm, id, owner, resource_id, requester, client_id, scopes, status, created_at, updated_at) select 'r', 'ar-' || i, 'o', 'res', 'u-' || i, 'c', '[]', case when i % 5 = 0 then 'pending' else 'denied' end, i / 3, 0 from ${series}`));
    });
    after(async () => {
      await db?.destroy();
      await drop?.();
    });

    const all = () => db.selectFrom('access_requests').where('realm', '=', 'r').where('owner', '=', 'o');
    const keys = [sql.ref('created_at'), sql.ref('id')];

    it('counts every row, or up to the limit, whatever the chunk', async () => {
      for (const chunk of [1, 7, 10, 19, 95, 96, 1000]) {
        for (const [limit, expected] of [[1000, 95], [95, 95], [94, 94], [30, 30], [10, 10], [1, 1], [0, 0]] as const) {
          assert.equal(await boundedCount(db, all(), limit, keys, chunk), expected, `chunk ${chunk}, limit ${limit}`);
        }
      }
    });

    it('counts the filtered rows only', async () => {
      assert.equal(await boundedCount(db, all().where('status', '=', 'pending'), 1000, keys, 4), 19);
      assert.equal(await boundedCount(db, all().where('status', '=', 'pending'), 9, keys, 4), 9);
    });

    it('takes one statement per chunk', async () => {
      statements = 0;
      assert.equal(await boundedCount(db, all(), 1000, keys, 10), 95);
      // Nine full chunks found by their last row, then the rest looked for and counted: 10 to 12
      // statements (as the driver counts a statement with a subquery), never one, never one per row.
      assert.ok(statements >= 10 && statements <= 12, `${statements} statements`);
    });
  });
}
