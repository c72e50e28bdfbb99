/** @module test/suite/scopes-groups-orgs — resource server configurations, groups and organizations. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Group, Organization, ResourceServerConfig, Store } from '@steward/core';
import { assertConflict, T } from './fixtures.ts';

function group(realm: string, over: Partial<Group> = {}): Group {
  return { realm, id: 'g-staff', name: 'staff', visible: false, createdAt: T, ...over };
}

function org(realm: string, over: Partial<Organization> = {}): Organization {
  return { realm, id: 'acme', name: 'Acme Corp', admins: ['u-ann', 'u-bea'], clients: ['acme-rs', 'acme-app'], createdAt: T, ...over };
}

export function scopesGroupsOrgsTests(s: () => Store): void {
  describe('resource server configurations', () => {
    it('put creates, then replaces the whole document; get round-trips it; scoped by realm and resource server; delete', async () => {
      const config: ResourceServerConfig = {
        realm: 'r1',
        resourceServer: 'rs',
        scopes: { meta: { description: 'Meta data' }, print: { description: 'Print', iconUri: 'https://rs.example/print.png' } },
        types: { healthcare: { scopes: ['meta', 'print'], description: 'A record' }, finance: { scopes: [] } },
        updatedAt: T,
      };
      assert.equal(await s().resourceServerConfigs.get('r1', 'rs'), null);
      await s().resourceServerConfigs.put(config);
      assert.deepEqual(await s().resourceServerConfigs.get('r1', 'rs'), config);
      const next = { ...config, scopes: { meta: { description: 'Meta' } }, types: { basic: { scopes: ['meta'] } }, updatedAt: T + 1 };
      await s().resourceServerConfigs.put(next);
      assert.deepEqual(await s().resourceServerConfigs.get('r1', 'rs'), next);
      assert.equal(await s().resourceServerConfigs.get('r2', 'rs'), null);
      assert.equal(await s().resourceServerConfigs.get('r1', 'other'), null);
      assert.equal(await s().resourceServerConfigs.delete('r1', 'rs'), true);
      assert.equal(await s().resourceServerConfigs.delete('r1', 'rs'), false);
      assert.equal(await s().resourceServerConfigs.get('r1', 'rs'), null);
    });
  });

  describe('groups', () => {
    it('create, get, findByName, list by name; conflict on a repeated id or name in the realm, not across realms', async () => {
      await s().groups.create(group('r1'));
      await s().groups.create(group('r1', { id: 'g-admins', name: 'admins', visible: true }));
      await s().groups.create(group('r2'));
      assert.deepEqual(await s().groups.get('r1', 'g-staff'), group('r1'));
      assert.deepEqual(await s().groups.findByName('r1', 'admins'), group('r1', { id: 'g-admins', name: 'admins', visible: true }));
      assert.equal(await s().groups.findByName('r1', 'Staff'), null);
      assert.equal(await s().groups.get('r3', 'g-staff'), null);
      assert.deepEqual((await s().groups.list('r1')).map((g) => g.name), ['admins', 'staff']);
      await assertConflict(s().groups.create(group('r1', { id: 'g-other' })));
      await assertConflict(s().groups.create(group('r1', { name: 'other' })));
    });

    it('members: add is idempotent and needs the group; remove; groupsOf; delete removes memberships', async () => {
      await s().groups.create(group('r1'));
      await s().groups.create(group('r1', { id: 'g-b', name: 'b-team' }));
      assert.equal(await s().groups.addMember('r1', 'g-staff', 'u2'), true);
      assert.equal(await s().groups.addMember('r1', 'g-staff', 'u1'), true);
      assert.equal(await s().groups.addMember('r1', 'g-staff', 'u1'), true);
      assert.equal(await s().groups.addMember('r1', 'g-b', 'u1'), true);
      assert.equal(await s().groups.addMember('r1', 'g-missing', 'u1'), false);
      assert.equal(await s().groups.addMember('r2', 'g-staff', 'u1'), false);
      assert.deepEqual(await s().groups.members('r1', 'g-staff'), ['u1', 'u2']);
      assert.deepEqual(await s().groups.members('r1', 'g-missing'), []);
      assert.deepEqual((await s().groups.groupsOf('r1', 'u1')).map((g) => g.name), ['b-team', 'staff']);
      assert.deepEqual(await s().groups.groupsOf('r2', 'u1'), []);
      assert.equal(await s().groups.removeMember('r1', 'g-staff', 'u2'), true);
      assert.equal(await s().groups.removeMember('r1', 'g-staff', 'u2'), false);
      assert.equal(await s().groups.delete('r1', 'g-staff'), true);
      assert.equal(await s().groups.delete('r1', 'g-staff'), false);
      assert.deepEqual((await s().groups.groupsOf('r1', 'u1')).map((g) => g.name), ['b-team']);
      // A group recreated under the same id starts empty.
      await s().groups.create(group('r1'));
      assert.deepEqual(await s().groups.members('r1', 'g-staff'), []);
    });
  });

  describe('organizations', () => {
    it('create with admins and clients round-trips; list by id; ofClient; scoped by realm; conflict on id or on a client of another organization', async () => {
      await s().organizations.create(org('r1'));
      assert.deepEqual(await s().organizations.get('r1', 'acme'), org('r1', { admins: ['u-ann', 'u-bea'], clients: ['acme-app', 'acme-rs'] }));
      assert.equal(await s().organizations.get('r2', 'acme'), null);
      assert.equal((await s().organizations.ofClient('r1', 'acme-rs'))?.id, 'acme');
      assert.equal(await s().organizations.ofClient('r2', 'acme-rs'), null);
      assert.equal(await s().organizations.ofClient('r1', 'nobody'), null);
      await assertConflict(s().organizations.create(org('r1', { admins: [], clients: [] })));
      await assertConflict(s().organizations.create(org('r1', { id: 'beta', admins: [], clients: ['acme-app'] })));
      // The refused create wrote nothing.
      assert.equal(await s().organizations.get('r1', 'beta'), null);
      await s().organizations.create(org('r1', { id: 'beta', admins: [], clients: [] }));
      await s().organizations.create(org('r2'));
      assert.deepEqual((await s().organizations.list('r1')).map((o) => o.id), ['acme', 'beta']);
    });

    it('admins and clients: add idempotent, add to a missing organization false, a client of another organization conflicts; remove; delete', async () => {
      await s().organizations.create(org('r1', { admins: [], clients: [] }));
      await s().organizations.create(org('r1', { id: 'beta', admins: [], clients: [] }));
      assert.equal(await s().organizations.addAdmin('r1', 'acme', 'u1'), true);
      assert.equal(await s().organizations.addAdmin('r1', 'acme', 'u1'), true);
      assert.equal(await s().organizations.addAdmin('r1', 'nope', 'u1'), false);
      assert.equal(await s().organizations.addClient('r1', 'acme', 'c1'), true);
      assert.equal(await s().organizations.addClient('r1', 'acme', 'c1'), true);
      assert.equal(await s().organizations.addClient('r1', 'nope', 'c2'), false);
      await assertConflict(s().organizations.addClient('r1', 'beta', 'c1'));
      assert.deepEqual(await s().organizations.get('r1', 'acme'), org('r1', { admins: ['u1'], clients: ['c1'] }));
      assert.equal(await s().organizations.removeAdmin('r1', 'acme', 'u1'), true);
      assert.equal(await s().organizations.removeAdmin('r1', 'acme', 'u1'), false);
      assert.equal(await s().organizations.removeClient('r1', 'beta', 'c1'), false);
      assert.equal(await s().organizations.removeClient('r1', 'acme', 'c1'), true);
      assert.equal(await s().organizations.addClient('r1', 'beta', 'c1'), true);
      assert.equal(await s().organizations.delete('r1', 'beta'), true);
      assert.equal(await s().organizations.delete('r1', 'beta'), false);
      assert.equal(await s().organizations.ofClient('r1', 'c1'), null);
    });

    it('works inside a transaction and rolls back with it', async () => {
      await assert.rejects(
        s().transaction(async (tx) => {
          await tx.organizations.create(org('r1'));
          await tx.groups.create(group('r1'));
          assert.equal((await tx.organizations.get('r1', 'acme'))?.id, 'acme');
          assert.equal(await tx.groups.delete('r1', 'g-staff'), true);
          await tx.groups.create(group('r1'));
          throw new Error('roll back');
        }),
        /roll back/,
      );
      assert.equal(await s().organizations.get('r1', 'acme'), null);
      assert.equal(await s().groups.get('r1', 'g-staff'), null);
    });
  });
}
