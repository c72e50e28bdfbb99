/** @module test/suite/access-answers — answering access requests: approved scopes, denials, reopening. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { accessRequest, T } from './fixtures.ts';
import { accessRequestsOf } from '../helpers/lists.ts';

export function accessAnswerTests(s: () => Store): void {
  describe('access requests: answers', () => {
    it('answer records the approved scopes of an approval (and none for a denial)', async () => {
      const a = accessRequest('r1', { scopes: ['view', 'print'] });
      const d = accessRequest('r1', { resourceId: 'r2' });
      await s().accessRequests.upsertPending(a);
      await s().accessRequests.upsertPending(d);
      assert.equal(await s().accessRequests.answer('r1', a.owner, a.id, 'approved', T + 1, ['view']), true);
      assert.equal(await s().accessRequests.answer('r1', d.owner, d.id, 'denied', T + 1, ['view']), true);
      assert.deepEqual(await s().accessRequests.get('r1', a.owner, a.id), { ...a, status: 'approved', updatedAt: T + 1, approvedScopes: ['view'] });
      assert.deepEqual(await s().accessRequests.get('r1', d.owner, d.id), { ...d, status: 'denied', updatedAt: T + 1 });
    });

    it('of concurrent answers exactly one wins', async () => {
      const r = accessRequest('r1');
      await s().accessRequests.upsertPending(r);
      const results = await Promise.all(Array.from({ length: 8 }, (_, i) => s().accessRequests.answer('r1', r.owner, r.id, i % 2 ? 'approved' : 'denied', T + 1)));
      assert.equal(results.filter(Boolean).length, 1);
    });

    it('listDenied lists the requester’s denied requests on one resource, any client, newest answer first', async () => {
      const first = accessRequest('r1', { clientId: 'c1' });
      const second = accessRequest('r1', { clientId: 'c2' });
      const pending = accessRequest('r1', { clientId: 'c3' });
      const otherResource = accessRequest('r1', { resourceId: 'r9' });
      const otherRequester = accessRequest('r1', { requester: 'carol-id' });
      for (const r of [first, second, pending, otherResource, otherRequester]) await s().accessRequests.upsertPending(r);
      await s().accessRequests.answer('r1', first.owner, first.id, 'denied', T + 1);
      await s().accessRequests.answer('r1', second.owner, second.id, 'denied', T + 2);
      await s().accessRequests.answer('r1', otherResource.owner, otherResource.id, 'denied', T + 3);
      await s().accessRequests.answer('r1', otherRequester.owner, otherRequester.id, 'denied', T + 3);
      const denied = await s().accessRequests.listDenied('r1', 'alice-id', 'r1', 'bob-id');
      assert.deepEqual(denied.map((r) => r.id), [second.id, first.id]);
      assert.deepEqual(await s().accessRequests.listDenied('r1', 'mallory', 'r1', 'bob-id'), []);
      assert.deepEqual(await s().accessRequests.listDenied('r2', 'alice-id', 'r1', 'bob-id'), []);
    });

    it('reopen makes a denied request pending again; nothing else reopens', async () => {
      const r = accessRequest('r1', { scopes: ['view'] });
      await s().accessRequests.upsertPending(r);
      assert.equal(await s().accessRequests.reopen('r1', r.owner, r.id, T + 1), null, 'pending: nothing to reopen');
      await s().accessRequests.answer('r1', r.owner, r.id, 'denied', T + 1);
      assert.equal(await s().accessRequests.reopen('r1', 'mallory', r.id, T + 2), null);
      assert.equal(await s().accessRequests.reopen('r1', r.owner, 'nope', T + 2), null);
      const reopened = await s().accessRequests.reopen('r1', r.owner, r.id, T + 2);
      assert.deepEqual(reopened, { ...r, updatedAt: T + 2 });
      assert.deepEqual(await s().accessRequests.get('r1', r.owner, r.id), { ...r, updatedAt: T + 2 });
      await s().accessRequests.answer('r1', r.owner, r.id, 'approved', T + 3, ['view']);
      assert.equal(await s().accessRequests.reopen('r1', r.owner, r.id, T + 4), null, 'approved: not reopened');
    });

    it('reopen merges into a pending request of the same key and removes the denied one', async () => {
      const denied = accessRequest('r1', { scopes: ['view'] });
      await s().accessRequests.upsertPending(denied);
      await s().accessRequests.answer('r1', denied.owner, denied.id, 'denied', T + 1);
      const pending = accessRequest('r1', { scopes: ['print'], createdAt: T + 2, updatedAt: T + 2 });
      await s().accessRequests.upsertPending(pending);
      const merged = await s().accessRequests.reopen('r1', denied.owner, denied.id, T + 3);
      assert.deepEqual(merged, { ...pending, scopes: ['print', 'view'], updatedAt: T + 3 });
      assert.equal(await s().accessRequests.get('r1', denied.owner, denied.id), null);
      assert.deepEqual((await accessRequestsOf(s(), 'r1', denied.owner)).map((r) => r.id), [pending.id]);
    });
  });
}
