/** @module test/suite/access-requests — the owner's pending-request inbox. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { accessRequest, T } from './fixtures.ts';
import { accessRequestsOf } from '../helpers/lists.ts';

export function accessRequestTests(s: () => Store): void {
  describe('access requests', () => {
    it('upsertPending records a new request and returns it as stored', async () => {
      const r = accessRequest('r1', { scopes: ['view', 'print'] });
      assert.deepEqual(await s().accessRequests.upsertPending(r), r);
      assert.deepEqual(await s().accessRequests.get('r1', r.owner, r.id), r);
    });

    it('upsertPending merges scopes into the pending request of the same key, never duplicating it', async () => {
      const first = accessRequest('r1', { scopes: ['view', 'print'] });
      await s().accessRequests.upsertPending(first);
      const again = accessRequest('r1', { scopes: ['delete', 'view'], createdAt: T + 5, updatedAt: T + 5 });
      const merged = await s().accessRequests.upsertPending(again);
      const expected = { ...first, scopes: ['view', 'print', 'delete'], updatedAt: T + 5 };
      assert.deepEqual(merged, expected);
      assert.deepEqual(await s().accessRequests.get('r1', first.owner, first.id), expected);
      assert.equal(await s().accessRequests.get('r1', first.owner, again.id), null);
      assert.deepEqual(await accessRequestsOf(s(), 'r1', first.owner), [expected]);
      const same = await s().accessRequests.upsertPending(accessRequest('r1', { scopes: ['print'], updatedAt: T + 6 }));
      assert.deepEqual(same.scopes, ['view', 'print', 'delete']);
      assert.equal((await accessRequestsOf(s(), 'r1', first.owner)).length, 1);
    });

    it('keeps separate pending requests for another resource, requester, client, owner or realm', async () => {
      const base = accessRequest('r1');
      await s().accessRequests.upsertPending(base);
      await s().accessRequests.upsertPending(accessRequest('r1', { resourceId: 'r2' }));
      await s().accessRequests.upsertPending(accessRequest('r1', { requester: 'carol-id' }));
      await s().accessRequests.upsertPending(accessRequest('r1', { clientId: 'other' }));
      await s().accessRequests.upsertPending(accessRequest('r1', { owner: 'dave-id' }));
      await s().accessRequests.upsertPending(accessRequest('r2'));
      assert.equal((await accessRequestsOf(s(), 'r1', base.owner)).length, 4);
      assert.equal((await accessRequestsOf(s(), 'r1', 'dave-id')).length, 1);
      assert.equal((await accessRequestsOf(s(), 'r2', base.owner)).length, 1);
    });

    it('once answered, a new request of the same key starts a new pending one', async () => {
      const first = accessRequest('r1', { scopes: ['view'] });
      await s().accessRequests.upsertPending(first);
      assert.equal(await s().accessRequests.answer('r1', first.owner, first.id, 'denied', T + 1), true);
      const second = accessRequest('r1', { scopes: ['print'], createdAt: T + 2, updatedAt: T + 2 });
      assert.deepEqual(await s().accessRequests.upsertPending(second), second);
      const all = await accessRequestsOf(s(), 'r1', first.owner);
      assert.deepEqual(all.map((r) => [r.id, r.status, r.scopes]), [
        [second.id, 'pending', ['print']],
        [first.id, 'denied', ['view']],
      ]);
    });

    it('get is null for another owner, another realm or an unknown id', async () => {
      const r = accessRequest('r1');
      await s().accessRequests.upsertPending(r);
      assert.equal(await s().accessRequests.get('r1', 'mallory', r.id), null);
      assert.equal(await s().accessRequests.get('r2', r.owner, r.id), null);
      assert.equal(await s().accessRequests.get('r1', r.owner, 'nope'), null);
    });

    it('lists the owner’s requests newest first, optionally of one status', async () => {
      const old = accessRequest('r1', { resourceId: 'a', createdAt: T, updatedAt: T });
      const mid = accessRequest('r1', { resourceId: 'b', createdAt: T + 10, updatedAt: T + 10 });
      const recent = accessRequest('r1', { resourceId: 'c', createdAt: T + 20, updatedAt: T + 20 });
      for (const r of [mid, recent, old]) await s().accessRequests.upsertPending(r);
      await s().accessRequests.upsertPending(accessRequest('r1', { owner: 'other', createdAt: T + 30 }));
      await s().accessRequests.answer('r1', old.owner, mid.id, 'approved', T + 40);
      const ids = async (status?: 'pending' | 'approved' | 'denied') =>
        (await accessRequestsOf(s(), 'r1', old.owner, status)).map((r) => r.id);
      assert.deepEqual(await ids(), [recent.id, mid.id, old.id]);
      assert.deepEqual(await ids('pending'), [recent.id, old.id]);
      assert.deepEqual(await ids('approved'), [mid.id]);
      assert.deepEqual(await ids('denied'), []);
    });

    it('answer sets the status of a pending request only, and only the owner’s', async () => {
      const r = accessRequest('r1');
      await s().accessRequests.upsertPending(r);
      assert.equal(await s().accessRequests.answer('r1', 'mallory', r.id, 'approved', T + 1), false);
      assert.equal(await s().accessRequests.answer('r1', r.owner, 'nope', 'approved', T + 1), false);
      assert.equal(await s().accessRequests.answer('r1', r.owner, r.id, 'approved', T + 2), true);
      assert.deepEqual(await s().accessRequests.get('r1', r.owner, r.id), { ...r, status: 'approved', updatedAt: T + 2 });
      assert.equal(await s().accessRequests.answer('r1', r.owner, r.id, 'denied', T + 3), false);
      assert.equal((await s().accessRequests.get('r1', r.owner, r.id))?.status, 'approved');
    });

    it('concurrent upsertPending of one key leaves one pending request with the union of scopes', async () => {
      const scopes = Array.from({ length: 20 }, (_, i) => `scope-${i}`);
      const results = await Promise.all(
        scopes.map((scope) => s().accessRequests.upsertPending(accessRequest('r1', { scopes: [scope] }))),
      );
      const stored = await accessRequestsOf(s(), 'r1', 'alice-id');
      assert.equal(stored.length, 1);
      assert.deepEqual([...stored[0]!.scopes].sort(), [...scopes].sort());
      assert.ok(results.every((r) => r.id === stored[0]!.id));
    });
  });
}
