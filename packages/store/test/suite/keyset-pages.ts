/**
 * @module test/suite/keyset-pages
 * The paged lists of the owner-facing APIs (ports/store/pages): every order of an owner's resources, both
 * directions, pages through each match exactly once in the order the core computes the key in (names
 * missing, types missing, ties in every column); filters and bounded counts; policies by id and by
 * name; the resources naming a subject; access requests newest first, by owner and by requester.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resourceSortKey, type ResourceOrder, type SortKey, type Store } from '@steward/core';
import { accessRequest, policy, resource, T } from './fixtures.ts';

/** Every row of a keyset list, reading `size` at a time; fails when a page repeats or skips a row. */
async function pageThrough<R>(read: (after: SortKey | undefined, limit: number) => Promise<R[]>, keyOf: (r: R) => SortKey, size: number): Promise<R[]> {
  const all: R[] = [];
  let after: SortKey | undefined;
  for (let round = 0; round < 1000; round++) {
    const rows = await read(after, size);
    all.push(...rows);
    if (rows.length < size) return all;
    after = keyOf(rows.at(-1)!);
  }
  throw new Error('no end');
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < a.length; i++) {
    if (a[i]! < b[i]!) return -1;
    if (a[i]! > b[i]!) return 1;
  }
  return 0;
}

export function keysetPageTests(s: () => Store): void {
  describe('keyset pages', () => {
    it("pages through an owner's resources in every order, both directions, each exactly once", async () => {
      const names = ['b', 'a', null, 'b', 'c', 'a', null, 'B', 'é'];
      const types = ['t2', null, 't1', 't1', null, 't2', 't1', 't1', null];
      const mine = names.map((name, i) => resource('k1', 'alice', { name, type: types[i]!, resourceServer: i % 2 ? 'rs-a' : 'rs-b', createdAt: T + (i % 3) }));
      for (const r of [...mine, resource('k1', 'bob'), resource('k2', 'alice')]) await s().resources.insert(r);
      for (const order of ['name', 'type', 'resourceServer', 'id', 'created'] as ResourceOrder[]) {
        for (const descending of [false, true]) {
          const expected = [...mine].sort((a, b) => compareKeys(resourceSortKey(a, order), resourceSortKey(b, order)) * (descending ? -1 : 1)).map((r) => r.id);
          for (const size of [1, 2, 4]) {
            const got = await pageThrough((after, limit) => s().resources.page('k1', 'alice', { order, descending, ...(after ? { after } : {}), limit }), (r) => resourceSortKey(r, order), size);
            assert.deepEqual(got.map((r) => r.id), expected, `${order} ${descending ? 'desc' : 'asc'} by ${size}`);
          }
        }
      }
      const first = (await s().resources.page('k1', 'alice', { order: 'name', limit: 1 }))[0]!;
      assert.deepEqual(first, mine.find((r) => r.id === first.id), 'whole resources come back');
    });

    it('filters resources by resource server, sort name, type and search text, and counts no further than asked', async () => {
      const a = resource('k1', 'alice', { name: '100%_off', type: 'coupon', resourceServer: 'shop' });
      const b = resource('k1', 'alice', { name: 'Photo album', type: 'album', resourceServer: 'photoz' });
      const c = resource('k1', 'alice', { name: null, type: null, resourceServer: 'photoz' });
      for (const r of [a, b, c, resource('k1', 'bob', { name: 'Photo album' })]) await s().resources.insert(r);
      const ids = async (filter: object) => (await s().resources.page('k1', 'alice', { order: 'id', limit: 10, ...filter })).map((r) => r.id).sort();
      assert.deepEqual(await ids({ resourceServer: 'photoz' }), [b.id, c.id].sort());
      assert.deepEqual(await ids({ sortName: c.id }), [c.id]);
      assert.deepEqual(await ids({ sortName: 'Photo album', type: 'album' }), [b.id]);
      assert.deepEqual(await ids({ search: 'photo' }), [b.id, c.id].sort(), 'text of the resource server counts');
      assert.deepEqual(await ids({ search: '%_' }), [a.id], 'LIKE wildcards are plain text');
      assert.deepEqual(await ids({ search: 'o_' }), [], 'an underscore matches only itself');
      assert.deepEqual(await ids({ search: 'coup' }), [a.id]);
      assert.equal(await s().resources.count('k1', 'alice', {}, 100), 3);
      assert.equal(await s().resources.count('k1', 'alice', {}, 2), 2);
      assert.equal(await s().resources.count('k1', 'alice', { resourceServer: 'photoz' }, 100), 2);
      assert.equal(await s().resources.count('k1', 'nobody', {}, 100), 0);
    });

    it("pages through an owner's policies by id and by resource name, filtered by resource server, subject and own", async () => {
      const rs = [resource('k1', 'alice', { name: 'z', resourceServer: 'rs-a' }), resource('k1', 'alice', { name: 'a', resourceServer: 'rs-b' }), resource('k1', 'alice', { name: null, resourceServer: 'rs-a' })];
      const foreign = resource('k1', 'carol', { name: 'm', resourceServer: 'rs-a' });
      for (const r of [...rs, foreign]) await s().resources.insert(r);
      for (const r of rs) await s().policies.create(policy('k1', 'alice', r.id, { permissions: [{ subject: r.name === 'z' ? 'dave' : 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'alice', foreign.id, { resourceOwner: 'carol', permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'bob', rs[0]!.id, { resourceOwner: 'alice' }));
      const all = [...rs, foreign];
      for (const descending of [false, true]) {
        const byId = await pageThrough((after, limit) => s().policies.page('k1', 'alice', { order: 'id', descending, ...(after ? { after } : {}), limit }), (p) => [p.id], 1);
        assert.deepEqual(byId.map((p) => p.id), all.map((r) => r.id).sort().sort(() => 0).sort((x, y) => (x < y ? -1 : 1) * (descending ? -1 : 1)));
        const nameOf = (id: string) => all.find((r) => r.id === id)!.name ?? id;
        const byName = await pageThrough((after, limit) => s().policies.page('k1', 'alice', { order: 'name', descending, ...(after ? { after } : {}), limit }), (p) => [nameOf(p.id), p.id], 2);
        assert.deepEqual(byName.map((p) => p.id), [...all].sort((x, y) => compareKeys([x.name ?? x.id, x.id], [y.name ?? y.id, y.id]) * (descending ? -1 : 1)).map((r) => r.id));
      }
      const ids = async (filter: object) => (await s().policies.page('k1', 'alice', { order: 'id', limit: 10, ...filter })).map((p) => p.id).sort();
      assert.deepEqual(await ids({ resourceServer: 'rs-a' }), [rs[0]!.id, rs[2]!.id, foreign.id].sort());
      assert.deepEqual(await ids({ subject: 'dave' }), [rs[0]!.id]);
      assert.deepEqual(await ids({ ownOnly: true, subject: 'bob' }), [rs[1]!.id, rs[2]!.id].sort());
      assert.equal(await s().policies.count('k1', 'alice', {}, 100), 4);
      assert.equal(await s().policies.count('k1', 'alice', { subject: 'bob' }, 2), 2);
      assert.equal(await s().policies.count('k1', 'alice', { resourceServer: 'rs-b', subject: 'dave' }, 100), 0);
    });

    it('pages through the resources policies name a subject on, each once, whoever owns them', async () => {
      const ids = ['res-c', 'res-a', 'res-b', 'res-d'];
      await s().policies.create(policy('k1', 'alice', 'res-c', { permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'carol', 'res-c', { resourceOwner: 'alice', permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'dave', 'res-a', { permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'dave', 'res-b', { permissions: [{ subject: 'bob', scopes: ['view'] }, { subject: 'eve', scopes: ['view'] }] }));
      await s().policies.create(policy('k1', 'dave', 'res-d', { permissions: [{ subject: 'eve', scopes: ['view'] }] }));
      await s().policies.create(policy('k2', 'dave', 'res-e', { permissions: [{ subject: 'bob', scopes: ['view'] }] }));
      const got = await pageThrough(async (after, limit) => (await s().policies.pageResourcesNaming('k1', 'bob', after?.[0] as string | undefined, limit)).map((id) => [id]), (k) => k, 1);
      assert.deepEqual(got.map((k) => k[0]), ids.filter((id) => id !== 'res-d').sort());
      assert.deepEqual(await s().policies.pageResourcesNaming('k1', 'bob', 'res-b', 10), ['res-c']);
      assert.deepEqual(await s().policies.pageResourcesNaming('k1', 'Bob', undefined, 10), []);
    });

    it('pages through access requests newest first, by owner (filtered, counted) and by requester', async () => {
      const made = [];
      for (let i = 0; i < 7; i++) {
        made.push(await s().accessRequests.upsertPending(accessRequest('k1', { id: `ar-${i}`, resourceId: `res-${i % 2}`, requester: i < 5 ? 'bob-id' : 'carol-id', clientId: `c-${i}`, createdAt: T + Math.floor(i / 3), updatedAt: T })));
      }
      made.push(await s().accessRequests.upsertPending(accessRequest('k1', { id: 'ar-x', owner: 'dave-id', requester: 'bob-id', createdAt: T + 5, updatedAt: T })));
      assert.equal(await s().accessRequests.answer('k1', 'alice-id', 'ar-1', 'denied', T + 9), true);
      const newest = (rows: { id: string; createdAt: number }[]) => [...rows].sort((a, b) => compareKeys([b.createdAt, b.id], [a.createdAt, a.id])).map((r) => r.id);
      const alices = made.filter((r) => r.owner === 'alice-id');
      const every = await pageThrough((after, limit) => s().accessRequests.page('k1', 'alice-id', { ...(after ? { after } : {}), limit }), (r) => [r.createdAt, r.id], 2);
      assert.deepEqual(every.map((r) => r.id), newest(alices));
      const pending = await pageThrough((after, limit) => s().accessRequests.page('k1', 'alice-id', { status: 'pending', ...(after ? { after } : {}), limit }), (r) => [r.createdAt, r.id], 2);
      assert.deepEqual(pending.map((r) => r.id), newest(alices.filter((r) => r.id !== 'ar-1')));
      const filtered = await s().accessRequests.page('k1', 'alice-id', { resourceId: 'res-0', requester: 'carol-id', clientId: 'c-6', limit: 10 });
      assert.deepEqual(filtered.map((r) => r.id), ['ar-6']);
      assert.deepEqual((await s().accessRequests.page('k1', 'alice-id', { id: 'ar-3', limit: 10 })).map((r) => r.id), ['ar-3']);
      assert.equal(await s().accessRequests.count('k1', 'alice-id', { status: 'pending' }, 100), 6);
      assert.equal(await s().accessRequests.count('k1', 'alice-id', {}, 3), 3);
      const bobs = await pageThrough((after, limit) => s().accessRequests.pageByRequester('k1', 'bob-id', after, limit), (r) => [r.createdAt, r.id], 2);
      assert.deepEqual(bobs.map((r) => r.id), newest(made.filter((r) => r.requester === 'bob-id')));
    });

    it('every paged list reads and counts nothing for a limit of zero or less', async () => {
      for (const limit of [0, -1]) {
        assert.deepEqual(await s().resources.page('k1', 'alice', { order: 'name', limit }), []);
        assert.equal(await s().resources.count('k1', 'alice', {}, limit), 0);
        assert.deepEqual(await s().policies.page('k1', 'alice', { order: 'id', limit }), []);
        assert.equal(await s().policies.count('k1', 'alice', {}, limit), 0);
        assert.deepEqual(await s().accessRequests.page('k1', 'alice-id', { limit }), []);
        assert.equal(await s().accessRequests.count('k1', 'alice-id', {}, limit), 0);
        assert.deepEqual(await s().accessRequests.pageByRequester('k1', 'bob-id', undefined, limit), []);
      }
    });
  });
}
