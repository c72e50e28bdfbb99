/** @module test/suite/keycloak — the resource lookups of the Keycloak ticketless grant: by id within a resource server, by name among the owners' own resources. */
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
