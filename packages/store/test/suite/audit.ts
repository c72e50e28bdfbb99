/**
 * @module test/suite/audit
 * AuditStore: append-only events, every field round-tripped, scoped by (realm, owner), filtered, ordered
 * by time then append order, paged with a total, all-or-nothing appends, realm purge.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StewardEvent, Store } from '@steward/core';
import { assertConflict, T, unique } from './fixtures.ts';

function event(realm: string, over: Partial<StewardEvent> = {}): StewardEvent {
  return { id: unique('event'), realm, owner: 'alice-id', type: 'rpt.issued', at: T, ...over };
}

export function auditTests(s: () => Store): void {
  describe('audit', () => {
    it('round-trips every field, and absent optional fields stay absent', async () => {
      const full = event('a1', {
        requester: 'bob-id',
        clientId: 'client-ü',
        resourceId: 'res-1',
        resourceName: 'Photo “album”',
        scopes: ['view', 'print'],
        requestId: 'req-1',
        detail: { reason: 'because', count: 2, ok: true, none: null, list: ['x'] },
      });
      const bare = event('a1', { type: 'policy.deleted', at: T + 1 });
      await s().audit.append([full, bare]);
      const page = await s().audit.query('a1', 'alice-id', { limit: 10, countLimit: 100 });
      assert.deepEqual({ events: page.events, total: page.total }, { events: [full, bare], total: 2 });
      assert.equal(Object.hasOwn(page.events[1]!, 'requester'), false);
    });

    it('never shows another owner’s or realm’s events', async () => {
      await s().audit.append([event('a1'), event('a1', { owner: 'carol-id' }), event('a2')]);
      assert.equal((await s().audit.query('a1', 'alice-id', { limit: 10, countLimit: 100 })).total, 1);
      assert.equal((await s().audit.query('a1', 'carol-id', { limit: 10, countLimit: 100 })).total, 1);
      assert.equal((await s().audit.query('a1', 'mallory', { limit: 10, countLimit: 100 })).total, 0);
    });

    it('orders by time, ties in append order, both directions, and pages with the total', async () => {
      const later = event('a1', { at: T + 10 });
      const ties = [event('a1', { at: T }), event('a1', { at: T }), event('a1', { at: T })];
      await s().audit.append([later]);
      await s().audit.append([ties[0]!, ties[1]!]);
      await s().audit.append([ties[2]!]);
      const asc = await s().audit.query('a1', 'alice-id', { limit: 10 });
      assert.deepEqual(asc.events.map((e) => e.id), [...ties, later].map((e) => e.id));
      const desc = await s().audit.query('a1', 'alice-id', { sort: 'desc', limit: 10 });
      assert.deepEqual(desc.events.map((e) => e.id), [later, ties[2]!, ties[1]!, ties[0]!].map((e) => e.id));
      const page = await s().audit.query('a1', 'alice-id', { offset: 1, limit: 2, countLimit: 100 });
      assert.deepEqual({ events: page.events, total: page.total }, { events: [ties[1]!, ties[2]!], total: 4 });
      assert.deepEqual((await s().audit.query('a1', 'alice-id', { offset: 9, limit: 2, countLimit: 100 })).events, []);
      assert.deepEqual(await s().audit.query('a1', 'alice-id', { limit: 0, countLimit: 100 }), { events: [], keys: [], total: 4 });
      assert.equal((await s().audit.query('a1', 'alice-id', { limit: 0, countLimit: 3 })).total, 3, 'the count stops at its limit');
      assert.equal((await s().audit.query('a1', 'alice-id', { limit: 10 })).total, -1, 'not counted unless asked');
    });

    it('pages by key in both directions: every event once, ties in append order', async () => {
      const events = Array.from({ length: 7 }, (_, i) => event('a1', { at: T + Math.floor(i / 3) }));
      for (const e of events) await s().audit.append([e]);
      for (const sort of ['asc', 'desc'] as const) {
        const seen: string[] = [];
        let after: readonly (string | number)[] | undefined;
        for (let round = 0; round < 10; round++) {
          const page = await s().audit.query('a1', 'alice-id', { sort, limit: 3, ...(after ? { after } : {}) });
          seen.push(...page.events.map((e) => e.id));
          if (page.events.length < 3) break;
          after = page.keys.at(-1);
        }
        const expected = events.map((e) => e.id);
        assert.deepEqual(seen, sort === 'asc' ? expected : expected.reverse());
      }
    });

    it('filters by types, resource, requester, client, request and time bounds (all must hold)', async () => {
      const a = event('a1', { type: 'share.granted', resourceId: 'r1', requester: 'bob', clientId: 'c1', requestId: 'q1', at: T + 1 });
      const b = event('a1', { type: 'share.revoked', resourceId: 'r1', requester: 'bob', clientId: 'c2', at: T + 2 });
      const c = event('a1', { type: 'rpt.issued', resourceId: 'r2', requester: 'carol', clientId: 'c1', at: T + 3 });
      await s().audit.append([a, b, c]);
      const ids = async (filter: object) => (await s().audit.query('a1', 'alice-id', { filter, limit: 10 })).events.map((e) => e.id);
      assert.deepEqual(await ids({ types: ['share.granted', 'rpt.issued'] }), [a.id, c.id]);
      assert.deepEqual(await ids({ types: [] }), []);
      assert.deepEqual(await ids({ resourceId: 'r1' }), [a.id, b.id]);
      assert.deepEqual(await ids({ requester: 'carol' }), [c.id]);
      assert.deepEqual(await ids({ clientId: 'c1' }), [a.id, c.id]);
      assert.deepEqual(await ids({ requestId: 'q1' }), [a.id]);
      assert.deepEqual(await ids({ atLeast: T + 2 }), [b.id, c.id]);
      assert.deepEqual(await ids({ atMost: T + 2 }), [a.id, b.id]);
      assert.deepEqual(await ids({ atLeast: T + 2, atMost: T + 2, resourceId: 'r1' }), [b.id]);
      assert.deepEqual(await ids({ resourceId: 'r1', requester: 'carol' }), []);
    });

    it('appends all or nothing: a duplicate id rejects the whole batch with conflict', async () => {
      const first = event('a1');
      await s().audit.append([first]);
      await assertConflict(s().audit.append([event('a1'), { ...first }]));
      assert.equal((await s().audit.query('a1', 'alice-id', { limit: 10, countLimit: 100 })).total, 1);
      await s().audit.append([]);
    });

    it('rolls back with the transaction it was appended in', async () => {
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.audit.append([event('a1')]);
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.equal((await s().audit.query('a1', 'alice-id', { limit: 10, countLimit: 100 })).total, 0);
    });

    it('purgeRealm deletes that realm’s events only', async () => {
      await s().audit.append([event('a1'), event('a1', { owner: 'x' }), event('a2')]);
      assert.equal(await s().audit.purgeRealm('a1'), 2);
      assert.equal((await s().audit.query('a2', 'alice-id', { limit: 10, countLimit: 100 })).total, 1);
    });
  });
}
