/** @module test/suite/keycloak — the resource lookups of the Keycloak ticketless grant (by id within a resource server, by name among the owners' own resources) and of a resource server's own PAT (by ids, and its list across owners a page at a time). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { policy, resource, sorted } from './fixtures.ts';

export function keycloakTests(s: () => Store): void {
  describe('resources by resource server (Keycloak grant)', () => {
    it('getByServer finds a resource of any owner, only within its realm and resource server', async () => {
      const r = resource('r1', 'alice', { resourceServer: 'photoz' });
      await s().resources.insert(r);
      assert.deepEqual(await s().resources.getByServer('r1', 'photoz', r.id), r);
      assert.equal(await s().resources.getByServer('r1', 'other-rs', r.id), null);
      assert.equal(await s().resources.getByServer('r2', 'photoz', r.id), null);
      assert.equal(await s().resources.getByServer('r1', 'photoz', 'nope'), null);
    });

    it('getManyByServer finds resources of any owner among the ids, only within its realm and resource server', async () => {
      const alices = resource('r1', 'alice');
      const bobs = resource('r1', 'bob');
      const otherRs = resource('r1', 'alice', { resourceServer: 'other-rs' });
      const otherRealm = resource('r2', 'alice');
      for (const r of [alices, bobs, otherRs, otherRealm]) await s().resources.insert(r);
      const found = await s().resources.getManyByServer('r1', 'photoz', [alices.id, bobs.id, otherRs.id, otherRealm.id, 'nope', alices.id]);
      assert.deepEqual(sorted(found.map((r) => r.id)), sorted([alices.id, bobs.id]));
      assert.deepEqual(found.find((r) => r.id === alices.id), alices);
      assert.deepEqual(await s().resources.getManyByServer('r1', 'photoz', []), []);
      assert.deepEqual((await s().resources.getManyByServer('r1', 'other-rs', [alices.id, otherRs.id])).map((r) => r.id), [otherRs.id]);
    });

    it('pageByServer pages every owner\'s resources of one resource server by id, all or of one exact name', async () => {
      // Other resource servers and realms are never listed.
      const mine = ['alice', 'bob', 'photoz', 'alice', 'chris'].map((owner, i) => resource('r1', owner, { name: i % 2 === 0 ? 'Shelf' : null, type: i === 3 ? 'urn:photoz:shelf' : null }));
      for (const r of [...mine, resource('r1', 'alice', { resourceServer: 'other-rs', name: 'Shelf' }), resource('r2', 'alice', { name: 'Shelf' })]) await s().resources.insert(r);
      const byId = mine.map((r) => r.id).sort();
      const pages: string[][] = [];
      let after: readonly string[] | undefined;
      for (;;) {
        const page = await s().resources.pageByServer('r1', 'photoz', { ...(after ? { after } : {}), limit: 2 });
        pages.push(page.map((r) => r.id));
        if (page.length < 2) break;
        after = [page.at(-1)!.id];
      }
      assert.deepEqual(pages.flat(), byId);
      assert.deepEqual(pages.map((p) => p.length), [2, 2, 1]);
      assert.deepEqual((await s().resources.pageByServer('r1', 'photoz', { limit: 10 }))[2], mine.find((r) => r.id === byId[2]));
      const shelves = mine.filter((r) => r.name === 'Shelf').map((r) => r.id).sort();
      const first = await s().resources.pageByServer('r1', 'photoz', { sortName: 'Shelf', limit: 2 });
      assert.deepEqual(first.map((r) => r.id), shelves.slice(0, 2));
      const rest = await s().resources.pageByServer('r1', 'photoz', { sortName: 'Shelf', after: [first[1]!.id], limit: 2 });
      assert.deepEqual(rest.map((r) => r.id), shelves.slice(2));
      assert.deepEqual((await s().resources.pageByServer('r1', 'photoz', { type: 'urn:photoz:shelf', limit: 10 })).map((r) => r.id), [mine[3]!.id]);
      assert.deepEqual(await s().resources.pageByServer('r1', 'photoz', { limit: 0 }), []);
    });

    it('findByName matches the exact name among the resources of the owners listed, never through a share', async () => {
      const own = resource('r1', 'bob', { name: 'Album' });
      const shared = resource('r1', 'alice', { name: 'Album' });
      const unshared = resource('r1', 'chris', { name: 'Album' });
      const otherRs = resource('r1', 'bob', { name: 'Album', resourceServer: 'other-rs' });
      const otherName = resource('r1', 'bob', { name: 'album' });
      const otherRealm = resource('r2', 'bob', { name: 'Album' });
      for (const r of [own, shared, unshared, otherRs, otherName, otherRealm]) await s().resources.insert(r);
      assert.equal(await s().policies.create(policy('r1', 'alice', shared.id, { permissions: [{ subject: 'bob', scopes: ['view'] }] })), true);
      assert.equal(await s().policies.create(policy('r1', 'chris', unshared.id, { permissions: [{ subject: 'dave', scopes: ['view'] }] })), true);

      // Alice's Album is shared with Bob, yet a lookup for Bob finds only his own.
      const ownedOnly = await s().resources.findByName('r1', 'photoz', 'Album', ['bob']);
      assert.deepEqual(ownedOnly.map((r) => r.id), [own.id]);
      assert.deepEqual(ownedOnly[0], own);
      const two = await s().resources.findByName('r1', 'photoz', 'Album', ['bob', 'alice', 'bob']);
      assert.deepEqual(sorted(two.map((r) => r.id)), sorted([own.id, shared.id]));
      assert.deepEqual(await s().resources.findByName('r1', 'photoz', 'Album', []), []);
      assert.deepEqual(await s().resources.findByName('r1', 'photoz', 'Album', ['mallory']), []);
    });

    it('findByName forgets a deleted resource', async () => {
      const r = resource('r1', 'alice', { name: 'Twice' });
      await s().resources.insert(r);
      assert.deepEqual((await s().resources.findByName('r1', 'photoz', 'Twice', ['alice'])).map((x) => x.id), [r.id]);
      assert.equal(await s().resources.delete('r1', 'alice', r.id), true);
      assert.deepEqual(await s().resources.findByName('r1', 'photoz', 'Twice', ['alice']), []);
    });
  });
}
