/**
 * The plans of lookups by party and of the owner-facing lists' keyset pages, on both dialects: they go through an index leading with (realm, party)
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
import { usersByEmailQuery } from '../src/stores/users.ts';
import { policyPageQuery, resourcesNamingQuery } from '../src/stores/policies.ts';
import { resourcePageQuery, serverResourcePageQuery } from '../src/stores/resources.ts';
import { requesterPageQuery, requestPageQuery } from '../src/stores/access-requests.ts';
import { auditBase, auditPageQuery } from '../src/stores/audit.ts';
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
      // Both plan by statistics once there are some: a realm of some size (300 parties, ten rows each;
      // for the owner-facing lists, one owner and one requester holding most of the rows),
      // analyzed as each store does it (PostgreSQL's ANALYZE, as autovacuum would; SQLite's bounded PRAGMA optimize).
      const series = dialect === 'postgres' ? 'generate_series(1, 3000) i' : '(with recursive s(i) as (select 1 union all select i + 1 from s where i < 3000) select i from s)';
      await db.executeQuery(CompiledQuery.raw(`insert into policy_subjects (realm, resource_id, subject, owner) select 'r1', 'res-' || i, 'user-' || (i % 300), 'owner-' || (i % 50) from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into users (realm, id, username, email, password_hash, created_at) select 'r1', 'id-' || i, 'user-' || i, 'user-' || (i % 1000) || '@example.com', 'x', i from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into group_members (realm, group_id, user_id) select 'r1', 'group-' || (i / 300), 'user-' || (i % 300) from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into resources (realm, id, owner, resource_server, name, type, scopes, extra, created_at, updated_at) select 'r1', 'res-' || i, case when i % 10 = 0 then 'owner-' || (i % 50) else 'owner-1' end, 'rs-' || (i % 3), 'name ' || i, 'type-' || (i % 7), '[]', '{}', i, i from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into policies (realm, id, owner, resource_owner, rev, permissions, created_at, updated_at) select 'r1', 'res-' || i, case when i % 10 = 0 then 'owner-' || (i % 50) else 'owner-1' end, null, 'r', '[]', i, i from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into access_requests (realm, id, owner, resource_id, requester, client_id, scopes, status, created_at, updated_at) select 'r1', 'ar-' || i, case when i % 10 = 0 then 'owner-' || (i % 50) else 'owner-1' end, 'res-' || i, case when i % 10 = 0 then 'user-' || (i % 300) else 'user-1' end, 'c', '[]', case when i % 4 = 0 then 'pending' else 'denied' end, i, i from ${series}`));
      await db.executeQuery(CompiledQuery.raw(`insert into audit_events (realm, id, owner, type, at) select 'r1', 'ev-' || i, case when i % 10 = 0 then 'owner-' || (i % 50) else 'owner-1' end, 'rpt.issued', i from ${series}`));
      if (dialect === 'postgres') await db.executeQuery(CompiledQuery.raw('analyze users, policy_subjects, group_members, resources, policies, access_requests, audit_events'));
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

    it('users by e-mail address (person lookup): by (realm, email, username)', async () => {
      const lines = await plan(usersByEmailQuery(db, 'r1', 'user-7@example.com', 2));
      uses(lines, 'users_email_ix');
      neverScans(lines, 'users');
      noSort(lines);
    });

    it("a user's groups: by (realm, user) in the memberships", async () => {
      const lines = await plan(groupsOfQuery(db, 'r1', 'user-1'));
      uses(lines, 'group_members_user_group_ix');
      neverScans(lines, 'group_members');
    });

    /** A keyset page: by the index, with no sort step (the order is the index's). */
    const noSort = (lines: string[]) => assert.ok(!lines.some((l) => (dialect === 'sqlite' ? /USE TEMP B-TREE FOR ORDER BY/.test(l) : /^\s*(->\s*)?(Incremental )?Sort\b/.test(l))), `reads in index order:\n${lines.join('\n')}`);

    const resourceIndexes = { name: 'resources_owner_name_ix', type: 'resources_owner_type_ix', resourceServer: 'resources_owner_name_ix', id: 'resources_owner_id_ix', created: 'resources_owner_server_created_ix' } as const;
    for (const [order, index] of Object.entries(resourceIndexes) as Array<[keyof typeof resourceIndexes, string]>) {
      it(`an owner's resources by ${order}, after a key: by ${index}`, async () => {
        const key = order === 'type' || order === 'resourceServer' ? ['x', 'y', 'z'] : order === 'created' ? [5, 'z'] : order === 'id' ? ['z'] : ['y', 'z'];
        const server = order === 'created' ? { resourceServer: 'rs-1' } : {};
        const lines = await plan(resourcePageQuery(db, 'r1', 'owner-1', { order, ...server, after: key, limit: 101 }));
        if (order !== 'resourceServer') uses(lines, index);
        neverScans(lines, 'resources');
        noSort(lines);
        noSort(await plan(resourcePageQuery(db, 'r1', 'owner-1', { order, ...server, descending: true, after: key, limit: 101 })));
      });
    }

    it("an owner's resources of one resource server by name: by (realm, owner, resource server, name)", async () => {
      const lines = await plan(resourcePageQuery(db, 'r1', 'owner-1', { order: 'resourceServer', resourceServer: 'rs-1', after: ['rs-1', 'y', 'z'], limit: 101 }));
      uses(lines, 'resources_owner_server_name_ix');
      noSort(lines);
    });

    it("a resource server's resources of every owner by id, all or of one exact name, after a key: by (realm, resource server, …)", async () => {
      const all = await plan(serverResourcePageQuery(db, 'r1', 'rs-1', { after: ['res-1'], limit: 101 }));
      uses(all, 'resources_server_id_ix');
      neverScans(all, 'resources');
      noSort(all);
      const named = await plan(serverResourcePageQuery(db, 'r1', 'rs-1', { sortName: 'name 7', after: ['res-1'], limit: 101 }));
      uses(named, 'resources_server_sort_name_ix');
      neverScans(named, 'resources');
      noSort(named);
    });

    it("an owner's policies by id, after a key: by the primary key", async () => {
      const lines = await plan(policyPageQuery(db, 'r1', 'owner-1', { order: 'id', after: ['res-5'], limit: 101 }));
      neverScans(lines, 'policies');
      noSort(lines);
    });

    it("an owner's access requests newest first (pending, or all), after a key", async () => {
      const pending = await plan(requestPageQuery(db, 'r1', 'owner-1', { status: 'pending', after: [2900, 'ar-9'], limit: 101 }));
      uses(pending, 'access_requests_owner_status_ix');
      noSort(pending);
      const all = await plan(requestPageQuery(db, 'r1', 'owner-1', { after: [2900, 'ar-9'], limit: 101 }));
      noSort(all);
      neverScans(all, 'access_requests');
    });

    it("a requester's own requests newest first: by (realm, requester, created)", async () => {
      const lines = await plan(requesterPageQuery(db, 'r1', 'user-1', [2900, 'ar-9'], 101));
      uses(lines, 'access_requests_requester_at_ix');
      neverScans(lines, 'access_requests');
      noSort(lines);
    });

    it('the resources naming a subject, by resource id in code point order: by (realm, subject, resource id)', async () => {
      const lines = await plan(resourcesNamingQuery(db, 'r1', 'user-1', 'res-5', 101));
      uses(lines, dialect === 'postgres' ? 'policy_subjects_subject_resource_c_ix' : 'policy_subjects_subject_resource_ix');
      neverScans(lines, 'policy_subjects');
      noSort(lines);
    });

    it("an owner's audit history after a key, both directions: by (realm, owner, at, seq)", async () => {
      for (const sort of ['asc', 'desc'] as const) {
        const lines = await plan(auditPageQuery(auditBase(db, 'r1', 'owner-1', {}), { sort, after: [sort === 'asc' ? 100 : 2900, 7], limit: 101 }));
        uses(lines, 'audit_events_owner_at_ix');
        neverScans(lines, 'audit_events');
        noSort(lines);
      }
    });
  });
}
