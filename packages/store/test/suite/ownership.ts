/** @module test/suite/ownership — resources and policies, always scoped by realm and owner. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '@steward/core';
import { assertConflict, policy, resource, sorted, T } from './fixtures.ts';
import { policiesOf, resourceIdsOf } from '../helpers/lists.ts';

export function ownershipTests(s: () => Store): void {
  describe('resources', () => {
    it('round-trips every field, with and without the optional ones', async () => {
      const full = resource('r1', 'alice');
      const bare = resource('r1', 'alice', { name: null, type: null, iconUri: null, description: null, scopes: [], extra: {} });
      await s().resources.insert(full);
      await s().resources.insert(bare);
      assert.deepEqual(await s().resources.get('r1', 'alice', full.id), full);
      assert.deepEqual(await s().resources.get('r1', 'alice', bare.id), bare);
    });

    it('is null for another owner, another realm or an unknown id', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      assert.equal(await s().resources.get('r1', 'mallory', r.id), null);
      assert.equal(await s().resources.get('r2', 'alice', r.id), null);
      assert.equal(await s().resources.get('r1', 'alice', 'nope'), null);
    });

    it('rejects a duplicate id in the realm with conflict', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      await assertConflict(s().resources.insert({ ...r, owner: 'bob' }));
      assert.deepEqual(await s().resources.get('r1', 'alice', r.id), r);
    });

    it('getMany returns only the owner’s resources among the ids', async () => {
      const a = resource('r1', 'alice');
      const b = resource('r1', 'alice');
      const foreign = resource('r1', 'bob');
      for (const r of [a, b, foreign]) await s().resources.insert(r);
      const got = await s().resources.getMany('r1', 'alice', [b.id, foreign.id, 'nope', a.id, a.id]);
      assert.deepEqual(sorted(got.map((r) => r.id)), sorted([a.id, b.id]));
      assert.deepEqual(got.find((r) => r.id === a.id), a);
      assert.deepEqual(await s().resources.getMany('r1', 'alice', []), []);
      assert.deepEqual(await s().resources.getMany('r2', 'alice', [a.id]), []);
    });

    it('update replaces the mutable fields and keeps id, owner, resource server and createdAt', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      const changed = {
        ...r,
        name: null,
        type: null,
        iconUri: null,
        description: 'Now described',
        scopes: ['view'],
        extra: { 'description#de': 'Beschreibung' },
        updatedAt: T + 99,
      };
      assert.equal(await s().resources.update(changed), true);
      assert.deepEqual(await s().resources.get('r1', 'alice', r.id), changed);
      assert.equal(await s().resources.update({ ...changed, resourceServer: 'other', createdAt: 1 }), true);
      assert.deepEqual(await s().resources.get('r1', 'alice', r.id), changed);
    });

    it('update is false for another owner or an unknown id, and changes nothing', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      assert.equal(await s().resources.update({ ...r, owner: 'mallory', name: 'stolen' }), false);
      assert.equal(await s().resources.update({ ...r, id: 'nope' }), false);
      assert.deepEqual(await s().resources.get('r1', 'alice', r.id), r);
    });

    it('delete removes the resource and its policy, and is false when absent', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      await s().policies.create(policy('r1', 'alice', r.id));
      assert.equal(await s().resources.delete('r1', 'alice', r.id), true);
      assert.equal(await s().resources.get('r1', 'alice', r.id), null);
      assert.equal(await s().policies.get('r1', 'alice', r.id), null);
      assert.equal(await s().resources.delete('r1', 'alice', r.id), false);
    });

    it('delete by another owner is false and leaves resource and policy in place', async () => {
      const r = resource('r1', 'alice');
      const p = policy('r1', 'alice', r.id);
      await s().resources.insert(r);
      await s().policies.create(p);
      assert.equal(await s().resources.delete('r1', 'mallory', r.id), false);
      assert.equal(await s().resources.delete('r2', 'alice', r.id), false);
      assert.deepEqual(await s().resources.get('r1', 'alice', r.id), r);
      assert.deepEqual(await s().policies.get('r1', 'alice', r.id), p);
    });

    it('listIds lists the owner’s ids oldest first, optionally of one resource server', async () => {
      const third = resource('r1', 'alice', { id: 'c', createdAt: T + 20, resourceServer: 'photoz' });
      const first = resource('r1', 'alice', { id: 'z', createdAt: T, resourceServer: 'docs' });
      const second = resource('r1', 'alice', { id: 'a', createdAt: T + 10, resourceServer: 'photoz' });
      for (const r of [third, first, second]) await s().resources.insert(r);
      await s().resources.insert(resource('r1', 'bob', { createdAt: T - 1 }));
      await s().resources.insert(resource('r2', 'alice', { createdAt: T - 1 }));
      assert.deepEqual(await resourceIdsOf(s(), 'r1', 'alice'), ['z', 'a', 'c']);
      assert.deepEqual(await resourceIdsOf(s(), 'r1', 'alice', 'photoz'), ['a', 'c']);
      assert.deepEqual(await resourceIdsOf(s(), 'r1', 'alice', 'none'), []);
      assert.deepEqual(await resourceIdsOf(s(), 'r1', 'carol'), []);
    });
  });

  describe('policies', () => {
    it('round-trips every field; create is false and writes nothing when the owner has that id', async () => {
      const p = policy('r1', 'alice', 'res-1');
      assert.equal(await s().policies.create(p), true);
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), p);
      assert.equal(await s().policies.create({ ...p, rev: 'other', permissions: [] }), false);
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), p);
      assert.equal(await s().policies.create({ ...p, realm: 'r2' }), true);
    });

    it('a re-share is keyed by its own owner and round-trips resourceOwner', async () => {
      const primary = policy('r1', 'alice', 'res-1');
      const reshare = policy('r1', 'bob', 'res-1', { resourceOwner: 'alice', permissions: [{ subject: 'carol', scopes: ['view'], conditions: { expiresAt: T + 5, clientIds: ['app'] } }] });
      assert.equal(await s().policies.create(primary), true);
      assert.equal(await s().policies.create(reshare), true);
      assert.equal(await s().policies.create({ ...reshare, rev: 'x' }), false);
      assert.deepEqual(await s().policies.get('r1', 'bob', 'res-1'), reshare);
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), primary);
      assert.deepEqual((await policiesOf(s(), 'r1', 'bob')).map((p) => p.id), ['res-1']);
      assert.equal(await s().policies.delete('r1', 'alice', 'res-1'), true);
      assert.deepEqual(await s().policies.get('r1', 'bob', 'res-1'), reshare);
    });

    it('listNaming finds the policies of any owner on a resource that name exactly a subject', async () => {
      await s().policies.create(policy('r1', 'alice', 'res-1', { permissions: [{ subject: 'bob', scopes: ['view'] }, { subject: 'carol', scopes: ['view'] }] }));
      await s().policies.create(policy('r1', 'bob', 'res-1', { resourceOwner: 'alice', permissions: [{ subject: 'carol', scopes: ['view'] }] }));
      await s().policies.create(policy('r1', 'alice', 'res-2', { permissions: [{ subject: 'carol', scopes: ['view'] }] }));
      await s().policies.create(policy('r2', 'alice', 'res-1', { permissions: [{ subject: 'carol', scopes: ['view'] }] }));
      const owners = async (id: string, subject: string, realm = 'r1') => sorted((await s().policies.listNaming(realm, id, subject)).map((p) => p.owner));
      assert.deepEqual(await owners('res-1', 'carol'), ['alice', 'bob']);
      assert.deepEqual(await owners('res-1', 'bob'), ['alice']);
      assert.deepEqual(await owners('res-1', 'Carol'), []);
      assert.deepEqual(await owners('res-1', 'dave'), []);
      assert.deepEqual(await owners('res-3', 'carol'), []);
      assert.deepEqual(await owners('res-1', 'carol', 'r3'), []);
      // Updates replace who is named; deletes forget it.
      const p = (await s().policies.get('r1', 'alice', 'res-1'))!;
      assert.equal(await s().policies.update({ ...p, rev: 'n', permissions: [{ subject: 'dave', scopes: ['view'] }] }, null), 'updated');
      assert.deepEqual(await owners('res-1', 'carol'), ['bob']);
      assert.deepEqual(await owners('res-1', 'dave'), ['alice']);
      assert.equal(await s().policies.delete('r1', 'bob', 'res-1'), true);
      assert.deepEqual(await owners('res-1', 'carol'), []);
      // A stale update changes nothing, the index included.
      assert.equal(await s().policies.update({ ...p, rev: 'm', permissions: [{ subject: 'erin', scopes: ['view'] }] }, 'old'), 'stale');
      assert.deepEqual(await owners('res-1', 'erin'), []);
    });

    it('listNaming rolls back with the transaction that wrote it', async () => {
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.policies.create(policy('r1', 'alice', 'res-1', { permissions: [{ subject: 'bob', scopes: ['view'] }] }));
          throw new Error('boom');
        }),
        /boom/,
      );
      assert.deepEqual(await s().policies.listNaming('r1', 'res-1', 'bob'), []);
      assert.equal(await s().policies.get('r1', 'alice', 'res-1'), null);
    });

    it('deleting a resource deletes every policy on it, re-shares included', async () => {
      const r = resource('r1', 'alice');
      await s().resources.insert(r);
      await s().policies.create(policy('r1', 'alice', r.id));
      await s().policies.create(policy('r1', 'bob', r.id, { resourceOwner: 'alice', permissions: [{ subject: 'carol', scopes: ['view'] }] }));
      assert.equal(await s().resources.delete('r1', 'alice', r.id), true);
      assert.equal(await s().policies.get('r1', 'bob', r.id), null);
      assert.deepEqual(await s().policies.listNaming('r1', r.id, 'carol'), []);
      assert.deepEqual(await s().policies.listNaming('r1', r.id, 'bob'), []);
    });

    it('is null for another owner, another realm or an unknown id', async () => {
      const p = policy('r1', 'alice', 'res-1', { permissions: [] });
      await s().policies.create(p);
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), p);
      assert.equal(await s().policies.get('r1', 'mallory', 'res-1'), null);
      assert.equal(await s().policies.get('r2', 'alice', 'res-1'), null);
      assert.equal(await s().policies.get('r1', 'alice', 'nope'), null);
    });

    it('getMany returns the owner’s policies among the ids', async () => {
      for (const [owner, id] of [['alice', 'a'], ['alice', 'b'], ['bob', 'c']]) await s().policies.create(policy('r1', owner!, id!));
      const got = await s().policies.getMany('r1', 'alice', ['b', 'c', 'x', 'a']);
      assert.deepEqual(sorted(got.map((p) => p.id)), ['a', 'b']);
      assert.deepEqual(await s().policies.getMany('r1', 'alice', []), []);
    });

    it('update with the current revision writes permissions, rev and updatedAt', async () => {
      const p = policy('r1', 'alice', 'res-1');
      await s().policies.create(p);
      const next = { ...p, rev: 'rev-2', permissions: [{ subject: 'carol', scopes: ['print'] }], updatedAt: T + 50 };
      assert.equal(await s().policies.update(next, p.rev), 'updated');
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), next);
    });

    it('update with an old revision is stale and changes nothing', async () => {
      const p = policy('r1', 'alice', 'res-1');
      await s().policies.create(p);
      assert.equal(await s().policies.update({ ...p, rev: 'rev-2', permissions: [] }, 'rev-0'), 'stale');
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), p);
    });

    it('update without an expected revision is unconditional', async () => {
      const p = policy('r1', 'alice', 'res-1');
      await s().policies.create(p);
      const next = { ...p, rev: 'rev-9', permissions: [], updatedAt: T + 9 };
      assert.equal(await s().policies.update(next, null), 'updated');
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), next);
    });

    it('update of an absent policy, or another owner’s, is missing', async () => {
      const p = policy('r1', 'alice', 'res-1');
      await s().policies.create(p);
      assert.equal(await s().policies.update(policy('r1', 'alice', 'nope'), null), 'missing');
      assert.equal(await s().policies.update(policy('r1', 'alice', 'nope'), 'any'), 'missing');
      assert.equal(await s().policies.update({ ...p, owner: 'mallory', permissions: [] }, p.rev), 'missing');
      assert.equal(await s().policies.update({ ...p, owner: 'mallory', permissions: [] }, null), 'missing');
      assert.deepEqual(await s().policies.get('r1', 'alice', 'res-1'), p);
    });

    it('delete is true once, false when absent or another owner’s', async () => {
      await s().policies.create(policy('r1', 'alice', 'res-1'));
      assert.equal(await s().policies.delete('r1', 'mallory', 'res-1'), false);
      assert.equal(await s().policies.delete('r1', 'alice', 'res-1'), true);
      assert.equal(await s().policies.delete('r1', 'alice', 'res-1'), false);
      assert.equal(await s().policies.get('r1', 'alice', 'res-1'), null);
    });

    it('lists the owner’s policies ordered by id', async () => {
      for (const id of ['m', 'B', 'a', 'z']) await s().policies.create(policy('r1', 'alice', id));
      await s().policies.create(policy('r1', 'bob', 'b'));
      await s().policies.create(policy('r2', 'alice', 'c'));
      assert.deepEqual((await policiesOf(s(), 'r1', 'alice')).map((p) => p.id), ['B', 'a', 'm', 'z']);
      assert.deepEqual(await policiesOf(s(), 'r1', 'carol'), []);
    });
  });
}
