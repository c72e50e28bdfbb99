/**
 * The plans of lookups by party, on both dialects: they go through an index leading with (realm, party)
 * and never read a table that grows with the realm (SQLite: EXPLAIN QUERY PLAN; PostgreSQL: EXPLAIN with
 * sequential scans discouraged, as on a table too big to scan).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { CompiledQuery, type Compilable, type Kysely } from 'kysely';
import { openStore } from '@steward/store';
import { connect } from '../src/connect.ts';
import type { Database } from '../src/schema.ts';
import { groupsOfQuery } from '../src/stores/groups.ts';
import { namingSubjectQuery } from '../src/stores/policies.ts';
import { dialects, freshDatabaseUrl } from './databases.ts';

for (const dialect of dialects) {
  describe(`query plans (${dialect})`, () => {
    let db: Kysely<Database>;
    let drop: () => Promise<void>;

    before(async () => {
      const fresh = await freshDatabaseUrl(dialect);
      drop = fresh.drop;
      await (await openStore(fresh.url)).close();
      db = connect(fresh.url, { poolSize: 1 }).db;
      // Both plan by statistics once there are some: a realm of some size (300 parties, ten rows each),
      // analyzed as each store does it (PostgreSQL's ANALYZE, as autovacuum would; SQLite's bounded PRAGMA optimize).
      const series = dialect === 'postgres' ? 'generate_series(1, 3000) i' : '(with recursive s(i) as (select 1 union all select i + 1 from s where i < 3000) select i from s)';
      await db.executeQuery(CompiledQuery.raw(`insert into policy_subjects (realm, resource_id, subject, owner) select 'r1', 'res-' || i, 'user-' || (i % 300), 'owner-' || (i % 50) from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into group_members (realm, group_id, user_id) select 'r1', 'group-' || (i / 300), 'user-' || (i % 300) from ${series}`));
      if (dialect === 'postgres') await db.executeQuery(CompiledQuery.raw('analyze policy_subjects, group_members'));
      else await db.executeQuery(CompiledQuery.raw('pragma optimize = 0x10002'));
    });
    after(async () => {
      await db?.destroy();
      await drop?.();
    });

    /** The plan's lines. */
    async function plan(query: Compilable<unknown>): Promise<string[]> {
      const compiled = query.compile();
      if (dialect === 'sqlite') {
        const rows = (await db.executeQuery<{ detail: string }>(CompiledQuery.raw(`explain query plan ${compiled.sql}`, [...compiled.parameters]))).rows;
        return rows.map((r) => r.detail);
      }
      return db.transaction().execute(async (trx) => {
        await trx.executeQuery(CompiledQuery.raw('set local enable_seqscan = off'));
        const rows = (await trx.executeQuery<{ 'QUERY PLAN': string }>(CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]))).rows;
        return rows.map((r) => r['QUERY PLAN']);
      });
    }

    const uses = (lines: string[], index: string) => assert.ok(lines.some((l) => l.includes(index)), `uses ${index}:\n${lines.join('\n')}`);
    const neverScans = (lines: string[], table: string) =>
      assert.ok(!lines.some((l) => (dialect === 'sqlite' ? new RegExp(`^SCAN ${table}\\b|USING (COVERING )?INDEX \\w+ \\(realm=\\?\\)$`) : new RegExp(`Seq Scan on ${table}\\b`)).test(l.trim())), `reads no more of ${table} than the party's rows:\n${lines.join('\n')}`);

    it("a user's groups: by (realm, user) in the memberships", async () => {
      const lines = await plan(groupsOfQuery(db, 'r1', 'user-1'));
      uses(lines, 'group_members_user_group_ix');
      neverScans(lines, 'group_members');
    });

    it('the policies naming a subject ("shared with me"): by (realm, subject) in the policy subjects', async () => {
      const lines = await plan(namingSubjectQuery(db, 'r1', 'bob', 100));
      uses(lines, 'policy_subjects_subject_ix');
      neverScans(lines, 'policy_subjects');
    });
  });
}
